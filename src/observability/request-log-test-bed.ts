import { Writable } from 'node:stream';
import { FakeClock } from '../core/clock.js';
import { FakeRequestLogStore } from './fake-request-log-store.js';
import { createLogger, type Logger } from './logger.js';
import type { RequestLogSettings } from './request-log-writer.js';

/** A JSON log line as the tests of the request log read it. */
export interface LogLine {
  level: number;
  msg: string;
  failures?: number;
}

/** What the request log writer's and thread's tests start from; `settings` may be changed in place. */
export interface RequestLogTestBed {
  clock: FakeClock;
  store: FakeRequestLogStore;
  /** Every line `logger` wrote, parsed. */
  lines: LogLine[];
  logger: Logger;
  settings: RequestLogSettings;
}

/** A fake clock and store, a logger whose lines are kept, and logging settings (all enabled, 7 days). */
export function requestLogTestBed(settings: Partial<RequestLogSettings> = {}): RequestLogTestBed {
  const lines: LogLine[] = [];
  return {
    clock: new FakeClock(),
    store: new FakeRequestLogStore(),
    lines,
    logger: keptLinesLogger(lines),
    settings: {
      enabled: true,
      retentionDays: 7,
      maxRows: 100_000,
      debugBodies: false,
      maxBodyChars: 16_384,
      ...settings,
    },
  };
}

/** A logger that appends each line it writes, parsed, to `lines`. */
export function keptLinesLogger(lines: LogLine[]): Logger {
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(JSON.parse(chunk.toString('utf8')) as LogLine);
      callback();
    },
  });
  return createLogger({ destination });
}
