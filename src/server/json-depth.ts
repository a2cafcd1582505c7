import { SwitchyardError } from '../core/errors.js';

/**
 * Deepest nesting of objects and arrays accepted in a JSON request body (README, "Limits"). Real
 * requests stay far below it (tool schemas nest a few dozen levels at most); above a few thousand
 * levels the recursive converters (schema cleaners, token estimators) would overflow the stack.
 */
export const MAX_JSON_DEPTH = 128;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;

/**
 * Whether the JSON text in `bytes` nests objects and arrays more than `maxDepth` levels deep. One
 * pass over the bytes, before parsing; strings are skipped with `indexOf`, so a body that is mostly
 * text costs little. Malformed JSON is left to the parser.
 */
export function exceedsJsonDepth(bytes: Uint8Array, maxDepth: number): boolean {
  let depth = 0;
  for (let index = 0; index < bytes.length; index++) {
    const byte = bytes[index];
    if (byte === QUOTE) {
      index = stringEnd(bytes, index);
      if (index < 0) return false;
    } else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
      depth++;
      if (depth > maxDepth) return true;
    } else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
      depth--;
    }
  }
  return false;
}

/** Index of the quote closing the string that opens at `start`, or -1 when it never closes. */
function stringEnd(bytes: Uint8Array, start: number): number {
  let quote = bytes.indexOf(QUOTE, start + 1);
  while (quote >= 0) {
    let backslashes = 0;
    while (bytes[quote - 1 - backslashes] === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return quote;
    quote = bytes.indexOf(QUOTE, quote + 1);
  }
  return -1;
}

/** An `invalid_request` error when `bytes` nest deeper than `MAX_JSON_DEPTH`, else null. */
export function jsonDepthError(bytes: Uint8Array): SwitchyardError | null {
  if (!exceedsJsonDepth(bytes, MAX_JSON_DEPTH)) return null;
  return new SwitchyardError(
    'invalid_request',
    `Request body nests objects and arrays more than ${MAX_JSON_DEPTH} levels deep (the limit)`,
  );
}
