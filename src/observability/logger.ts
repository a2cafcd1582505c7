import { type Logger, type LoggerOptions, pino } from 'pino';
import { boundLogValue } from './bound-log-value.js';

export type { Logger } from 'pino';

/**
 * Paths pino removes from every log line. Secrets never reach a log: credentials in account
 * objects, config keys, and auth headers of requests and upstream calls.
 */
export const REDACTED_PATHS = [
  'api_key',
  'apiKey',
  'admin_password',
  'password',
  'refresh_token',
  'refreshToken',
  'access_token',
  'accessToken',
  'client_secret',
  'clientSecret',
  'credential',
  '*.api_key',
  '*.apiKey',
  '*.admin_password',
  '*.password',
  '*.refresh_token',
  '*.refreshToken',
  '*.access_token',
  '*.accessToken',
  '*.client_secret',
  '*.clientSecret',
  '*.credential',
  '*.*.api_key',
  '*.*.admin_password',
  'headers.authorization',
  'headers["x-api-key"]',
  'headers["x-goog-api-key"]',
  '*.headers.authorization',
  '*.headers["x-api-key"]',
  '*.headers["x-goog-api-key"]',
];

export interface CreateLoggerOptions {
  level?: string;
  /** Where lines go; defaults to stdout. Tests pass a stream to read them back. */
  destination?: NodeJS.WritableStream;
}

/** The process logger: JSON lines, secrets redacted, large values bounded (see `boundLogValue`). */
export function createLogger(options: CreateLoggerOptions = {}): Logger {
  const config: LoggerOptions = {
    level: options.level ?? 'info',
    base: { service: 'switchyard' },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    formatters: { log: (object) => boundLogValue(object) as Record<string, unknown> },
  };
  return options.destination ? pino(config, options.destination) : pino(config);
}

/** A logger that drops everything, for tests and library use. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
