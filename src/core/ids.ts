import { createHash, randomBytes, randomUUID } from 'node:crypto';

/** The only place that creates random identifiers. */
export interface IdSource {
  /** A UUIDv4, for accounts and stored rows. */
  uuid(): string;
  /** A short random id for one proxied request, e.g. `req_3f9a…`. */
  requestId(): string;
}

/** Random per process, so ids from two gateway processes never collide. */
const PROCESS_TAG = randomBytes(4).toString('hex');
let requestCounter = 0;

export const systemIds: IdSource = {
  uuid: () => randomUUID(),
  // Time-ordered (the request log's primary key then grows at the end of its index instead of
  // landing on a random page) and cheap: a clock read and a counter, no random bytes per request.
  requestId: () => {
    requestCounter = (requestCounter + 1) % 0x1000000;
    return `req_${Date.now().toString(36).padStart(9, '0')}${PROCESS_TAG}${requestCounter.toString(16).padStart(6, '0')}`;
  },
};

/** `bytes` random bytes as lowercase hex. */
export function randomHex(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}

/** A new proxy API key: `sk-` followed by 32 lowercase hex characters. */
export function newApiKey(): string {
  return `sk-${randomHex(16)}`;
}

/** Lowercase hex SHA-256 of a UTF-8 string. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Deterministic ids for tests: `id-1`, `id-2`, … */
export function sequentialIds(prefix = 'id'): IdSource {
  let counter = 0;
  return {
    uuid: () => `${prefix}-${++counter}`,
    requestId: () => `req_${prefix}${++counter}`,
  };
}

/** A new client key secret: `sk-sy-` followed by 32 random bytes in base64url (43 characters). */
export function newClientKeySecret(): string {
  return `sk-sy-${randomBytes(32).toString('base64url')}`;
}
