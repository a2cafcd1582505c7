import { isSwitchyardError } from '../core/errors.js';

/** Socket and DNS failures: the server is down, unreachable or gone mid-conversation. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * PostgreSQL SQLSTATEs of a server that cannot serve right now: class 08 (connection exception),
 * 57P01–57P03 (shutting down, crashed, starting up), 53300 (too many connections).
 */
function isUnavailableSqlState(code: string): boolean {
  return code.startsWith('08') || ['57P01', '57P02', '57P03', '53300'].includes(code);
}

/**
 * SQLite result codes (better-sqlite3's `code`, primary or extended: `SQLITE_IOERR_WRITE`) of a
 * database file that cannot serve right now rather than one refusing this statement: another
 * process holds the write lock past the busy timeout (BUSY, LOCKED), the disk fails or is full
 * (IOERR, FULL), the file cannot be opened or written (CANTOPEN, READONLY). Corruption and
 * constraint failures are not among them: retrying would not help.
 */
const SQLITE_UNAVAILABLE = [
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
  'SQLITE_IOERR',
  'SQLITE_FULL',
  'SQLITE_CANTOPEN',
  'SQLITE_READONLY',
];

function isUnavailableSqliteCode(code: string): boolean {
  return SQLITE_UNAVAILABLE.some((primary) => code === primary || code.startsWith(`${primary}_`));
}

/**
 * What `pg`, `pg-pool` and Kysely say, without a code, when a connection is lost or a query gets
 * no answer in time (see node_modules/pg/lib/client.js and pg-pool/index.js).
 */
const UNREACHABLE_MESSAGES = [
  'Connection terminated',
  'Query read timeout',
  'timeout exceeded when trying to connect',
  'is not queryable',
  'Postgres connection has been discarded',
  'Connection ended',
];

/**
 * Whether `error` says the store database did not answer — as opposed to answering and refusing
 * the operation (a constraint, a bad row, a wrong key). A write that failed this way is worth
 * keeping and retrying once the database is back; one refused by the database is not.
 * Looks through `cause` chains and the errors of an AggregateError.
 */
export function isStoreUnreachableError(error: unknown, depth = 0): boolean {
  if (!(error instanceof Error) || depth > 5) return false;
  if (isSwitchyardError(error)) return error.code === 'store_unavailable';
  const code = (error as { code?: unknown }).code;
  if (
    typeof code === 'string' &&
    (NETWORK_CODES.has(code) || isUnavailableSqlState(code) || isUnavailableSqliteCode(code))
  )
    return true;
  if (UNREACHABLE_MESSAGES.some((message) => error.message.includes(message))) return true;
  if (
    error instanceof AggregateError &&
    error.errors.some((inner) => isStoreUnreachableError(inner, depth + 1))
  )
    return true;
  return isStoreUnreachableError(error.cause, depth + 1);
}

/** An error's message for people, with its code when the message does not carry it. */
export function describeStoreFailure(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // A refused connection to a host with several addresses is an AggregateError with an empty message.
  if (error instanceof AggregateError && !error.message)
    return error.errors.map(describeStoreFailure).join('; ');
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && !error.message.includes(code)
    ? `${error.message} (${code})`
    : error.message;
}
