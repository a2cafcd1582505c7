/**
 * A real process logger (`createLogger`, secret redaction included) whose JSON lines a test reads
 * back: what a translation warned about, that an event was logged, or that no line carries a secret.
 *
 * ```ts
 * const logs = captureLogs({ level: 'debug' });
 * const gateway = await startGateway({ logger: logs.logger });
 * expect(logs.text()).not.toContain(secret);
 * ```
 */
import { Writable } from 'node:stream';
import { isJsonObject } from '../../src/core/json.js';
import type { Warning } from '../../src/core/model/index.js';
import { createLogger, type Logger } from '../../src/observability/logger.js';

/** One JSON log line. */
export type LogLine = { level: number; msg: string } & Record<string, unknown>;

export interface CapturedLogs {
  /** Pass to `startGateway({ logger })`. */
  logger: Logger;
  /** Every line so far (or since the last `clear()`), oldest first. */
  readonly lines: LogLine[];
  /** The same lines as written, one JSON object per line. */
  text(): string;
  /** The warnings of "lossy translation" lines, with the request id they were logged for. */
  translationWarnings(): Array<Warning & { requestId: string }>;
  clear(): void;
}

/** A logger writing JSON lines into memory, at `warn` level unless told otherwise. */
export function captureLogs(options: { level?: 'trace' | 'debug' | 'info' | 'warn' } = {}): CapturedLogs {
  const lines: LogLine[] = [];
  let output = '';
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      const written = chunk.toString('utf8');
      output += written;
      for (const text of written.split('\n')) {
        if (text.trim() === '') continue;
        const parsed: unknown = JSON.parse(text);
        if (isJsonObject(parsed)) lines.push(parsed as LogLine);
      }
      done();
    },
  });
  return {
    logger: createLogger({ level: options.level ?? 'warn', destination }),
    lines,
    text: () => output,
    translationWarnings: () =>
      lines.flatMap((line) =>
        line.msg === 'lossy translation' && isJsonObject(line['warning'])
          ? [{ ...(line['warning'] as unknown as Warning), requestId: String(line['requestId']) }]
          : [],
      ),
    clear: () => {
      lines.length = 0;
      output = '';
    },
  };
}
