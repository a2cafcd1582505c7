/**
 * A real process logger (`createLogger`, secret redaction included) whose JSON lines are kept in
 * memory, for tests that check what the gateway logs.
 *
 * ```ts
 * const logs = captureLogs('debug');
 * const gateway = await startGateway({ logger: logs.logger });
 * expect(logs.text()).not.toContain(secret);
 * ```
 */
import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../src/observability/logger.js';

export interface LogCapture {
  logger: Logger;
  /** Everything logged since the start (or the last `clear()`), as written. */
  text(): string;
  /** The same, one parsed object per line. */
  lines(): Array<{ level: number; msg: string } & Record<string, unknown>>;
  clear(): void;
}

export function captureLogs(level = 'trace'): LogCapture {
  let output = '';
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      output += chunk.toString('utf8');
      done();
    },
  });
  return {
    logger: createLogger({ level, destination }),
    text: () => output,
    lines: () =>
      output
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line)),
    clear: () => {
      output = '';
    },
  };
}
