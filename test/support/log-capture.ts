/**
 * A gateway logger whose lines a test can read back: what a translation warned about, or that no
 * line carries a secret.
 */
import { Writable } from 'node:stream';
import { isJsonObject } from '../../src/core/json.js';
import type { Warning } from '../../src/core/model/index.js';
import { createLogger, type Logger } from '../../src/observability/logger.js';

/** One JSON log line. */
export type LogLine = Record<string, unknown>;

export interface CapturedLogs {
  /** Pass to `startGateway({ logger })`. */
  logger: Logger;
  /** Every line so far, oldest first. */
  readonly lines: LogLine[];
  /** The warnings of "lossy translation" lines, with the request id they were logged for. */
  translationWarnings(): Array<Warning & { requestId: string }>;
  clear(): void;
}

/** A logger writing JSON lines into memory, at `warn` level unless told otherwise. */
export function captureLogs(options: { level?: 'debug' | 'info' | 'warn' } = {}): CapturedLogs {
  const lines: LogLine[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const text of chunk.toString('utf8').split('\n')) {
        if (text.trim() === '') continue;
        const parsed: unknown = JSON.parse(text);
        if (isJsonObject(parsed)) lines.push(parsed);
      }
      done();
    },
  });
  return {
    logger: createLogger({ level: options.level ?? 'warn', destination }),
    lines,
    translationWarnings: () =>
      lines.flatMap((line) =>
        line.msg === 'lossy translation' && isJsonObject(line.warning)
          ? [{ ...(line.warning as unknown as Warning), requestId: String(line.requestId) }]
          : [],
      ),
    clear: () => {
      lines.length = 0;
    },
  };
}
