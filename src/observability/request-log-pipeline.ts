import type { Logger } from './logger.js';
import type { RequestLogEntry, RequestLogSink } from './request-log-entry.js';

/**
 * The one sink the gateway holds: hands every finished request to each of `sinks` in order (the
 * request log writer, the live feed, the metrics). A sink that throws is logged and skipped, so it
 * can neither fail the request nor starve the sinks after it.
 */
export class RequestLogPipeline implements RequestLogSink {
  constructor(
    private readonly sinks: readonly RequestLogSink[],
    private readonly logger?: Logger,
  ) {}

  record(entry: RequestLogEntry): void {
    for (const sink of this.sinks) {
      try {
        sink.record(entry);
      } catch (error) {
        try {
          this.logger?.error({ err: error, requestId: entry.id }, 'request log sink failed');
        } catch {
          // Nothing left to report to; the request must still complete.
        }
      }
    }
  }
}
