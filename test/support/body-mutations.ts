/**
 * Broken request bodies for fuzz tests: small, readable descriptions of how to break a valid sample
 * body (so a failing case prints well and shrinks; the fast-check arbitraries that generate them are
 * in `mutation-arbitraries.ts`), and `materialize`, which turns a description into the bytes and
 * content type to send.
 *
 * Bodies are built as text, never as deep object graphs, so a mutation with 100 000 levels of
 * nesting costs the test nothing (no recursion in `JSON.stringify`).
 */
import { isJsonObject, type JsonValue } from '../../src/core/json.js';

/** Keys inside a JSON document: object keys and array indexes, from the root. */
export type JsonPath = Array<string | number>;

/** One way to break a body. */
export type Mutation =
  /** The valid body cut short after `fraction` of its bytes. */
  | { kind: 'truncated'; fraction: number }
  /** Text that is not a JSON object at all (not JSON, or JSON of another kind). */
  | { kind: 'not-an-object'; text: string }
  /** The value at `path` replaced by `value`, of another JSON type. */
  | { kind: 'wrong-type'; path: JsonPath; value: unknown }
  /** The string at `path` replaced by an odd one: control characters, CR LF, emoji, `../`, `%25`… */
  | { kind: 'odd-string'; path: JsonPath; value: string }
  /** The value at `path` replaced by a string of `length` copies of `unit`. */
  | { kind: 'huge-string'; path: JsonPath; unit: string; length: number }
  /** The value at `path` replaced by an array of `length` copies of `element`. */
  | { kind: 'huge-array'; path: JsonPath; element: unknown; length: number }
  /** The value at `path` wrapped in `depth` arrays or objects. */
  | { kind: 'deep-nesting'; path: JsonPath; container: 'array' | 'object'; depth: number }
  /** `key` (`__proto__`, `constructor`, …) added first to the object at `path`. */
  | { kind: 'prototype-key'; path: JsonPath; key: string; value: unknown }
  /** `bytes` that are not UTF-8 inserted in the middle of the string at `path`. */
  | { kind: 'invalid-utf8'; path: JsonPath; bytes: number[] }
  /** A lone UTF-16 surrogate escape (valid JSON, invalid Unicode) inside the string at `path`. */
  | { kind: 'lone-surrogate'; path: JsonPath; escape: string }
  /** The valid body sent with another content type, or none. */
  | { kind: 'content-type'; contentType: string | null }
  /** A valid-looking body larger than the route's limit, with or without a Content-Length. */
  | { kind: 'oversized'; extraBytes: number; chunked: boolean };

export type MutationKind = Mutation['kind'];

/** What to send. */
export interface MaterializedBody {
  body: Buffer;
  /** The Content-Type header; null sends none. */
  contentType: string | null;
  /** Send without Content-Length (chunked). */
  chunked: boolean;
}

/** The JSON type of a value, as fuzzing tells types apart. */
export function jsonType(value: unknown): 'null' | 'boolean' | 'number' | 'string' | 'array' | 'object' {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value as 'boolean' | 'number' | 'string' | 'object';
}

/** Every path in `value` (the root included), containers before their contents. */
export function jsonPaths(value: unknown, prefix: JsonPath = []): JsonPath[] {
  const paths: JsonPath[] = [prefix];
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) paths.push(...jsonPaths(item, [...prefix, index]));
  } else if (isJsonObject(value))
    for (const [key, item] of Object.entries(value)) paths.push(...jsonPaths(item, [...prefix, key]));
  return paths;
}

export function valueAt(document: unknown, path: JsonPath): unknown {
  return path.reduce<unknown>(
    (current, step) =>
      typeof current === 'object' && current !== null ? Reflect.get(current, step) : undefined,
    document,
  );
}

/** Paths whose value has one of `types`. */
export function pathsOfType(document: unknown, ...types: Array<ReturnType<typeof jsonType>>): JsonPath[] {
  return jsonPaths(document).filter((path) => types.includes(jsonType(valueAt(document, path))));
}

const MARK = '\u0000switchyard-fuzz-mark\u0000';
const MARK_JSON = JSON.stringify(MARK);

/** The sample as JSON text with the value at `path` replaced by `raw` JSON text (not parsed again). */
function replaceRaw(sample: JsonValue, path: JsonPath, raw: string): string {
  if (path.length === 0) return raw;
  const copy = structuredClone(sample) as unknown;
  const parent = valueAt(copy, path.slice(0, -1)) as Record<string | number, unknown>;
  parent[path.at(-1) as string | number] = MARK;
  return JSON.stringify(copy).replace(MARK_JSON, () => raw);
}

function nested(options: { container: 'array' | 'object'; depth: number; inner: string }): string {
  const { container, depth, inner } = options;
  return container === 'array'
    ? `${'['.repeat(depth)}${inner}${']'.repeat(depth)}`
    : `${'{"a":'.repeat(depth)}${inner}${'}'.repeat(depth)}`;
}

/** The object at `path` as JSON text with `key` first. */
function withKeyFirst(options: { sample: JsonValue; path: JsonPath; key: string; value: unknown }): string {
  const { sample, path, key, value } = options;
  const target = JSON.stringify(valueAt(sample, path));
  const entry = `${JSON.stringify(key)}:${JSON.stringify(value)}`;
  const rest = target.slice(1);
  const raw = `{${entry}${rest === '}' ? '' : ','}${rest}`;
  return replaceRaw(sample, path, raw);
}

function insideString(options: { sample: JsonValue; path: JsonPath; insert: string }): string {
  const original = String(valueAt(options.sample, options.path));
  const half = Math.floor(original.length / 2);
  const before = JSON.stringify(original.slice(0, half)).slice(0, -1);
  const after = JSON.stringify(original.slice(half)).slice(1);
  return replaceRaw(options.sample, options.path, `${before}${options.insert}${after}`);
}

const json = (text: string, contentType: string | null = 'application/json'): MaterializedBody => ({
  body: Buffer.from(text, 'utf8'),
  contentType,
  chunked: false,
});

/**
 * The bytes a mutation of `sample` sends. `limit` is the route's body limit in bytes, for
 * `oversized`.
 */
export function materialize(sample: JsonValue, mutation: Mutation, limit: number): MaterializedBody {
  const text = JSON.stringify(sample);
  switch (mutation.kind) {
    case 'truncated':
      return json(text.slice(0, Math.floor(text.length * mutation.fraction)));
    case 'not-an-object':
      return json(mutation.text);
    case 'wrong-type':
    case 'odd-string':
      return json(replaceRaw(sample, mutation.path, JSON.stringify(mutation.value)));
    case 'huge-string':
      return json(replaceRaw(sample, mutation.path, JSON.stringify(mutation.unit.repeat(mutation.length))));
    case 'huge-array': {
      const element = JSON.stringify(mutation.element);
      return json(replaceRaw(sample, mutation.path, `[${Array(mutation.length).fill(element).join(',')}]`));
    }
    case 'deep-nesting': {
      const inner = JSON.stringify(valueAt(sample, mutation.path) ?? null);
      return json(replaceRaw(sample, mutation.path, nested({ ...mutation, inner })));
    }
    case 'prototype-key':
      return json(withKeyFirst({ sample, ...mutation }));
    case 'lone-surrogate':
      return json(insideString({ sample, path: mutation.path, insert: mutation.escape }));
    case 'invalid-utf8': {
      const spot = 'SWITCHYARD_FUZZ_BYTES';
      const [before = '', after = ''] = insideString({ sample, path: mutation.path, insert: spot }).split(
        spot,
      );
      const body = Buffer.concat([Buffer.from(before), Buffer.from(mutation.bytes), Buffer.from(after)]);
      return { body, contentType: 'application/json', chunked: false };
    }
    case 'content-type':
      return json(text, mutation.contentType);
    case 'oversized': {
      const padding = 'x'.repeat(Math.max(0, limit - text.length) + mutation.extraBytes);
      const body = JSON.stringify(
        Array.isArray(sample) ? [...sample, padding] : { ...(sample as object), padding },
      );
      return { body: Buffer.from(body), contentType: 'application/json', chunked: mutation.chunked };
    }
  }
}
