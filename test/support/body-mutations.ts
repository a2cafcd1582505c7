/**
 * Broken request bodies for fuzz tests: fast-check arbitraries that describe how to break a valid
 * sample body (small, readable descriptions, so a failing case prints well and shrinks), and
 * `materialize`, which turns a description into the bytes and content type to send.
 *
 * Bodies are built as text, never as deep object graphs, so a mutation with 100 000 levels of
 * nesting costs the test nothing (no recursion in `JSON.stringify`).
 */
import fc from 'fast-check';
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
function jsonType(value: unknown): 'null' | 'boolean' | 'number' | 'string' | 'array' | 'object' {
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

function valueAt(document: unknown, path: JsonPath): unknown {
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

// ---------------------------------------------------------------------------------------------
// Arbitraries

const TYPED_VALUES = {
  null: fc.constant(null),
  boolean: fc.boolean(),
  number: fc.oneof(
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.constant(-1),
    fc.constant(1e308),
  ),
  string: fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.constantFrom('', ' ', 'null', '0')),
  array: fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 4 }),
  object: fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }),
} as const;
type TypeName = keyof typeof TYPED_VALUES;
const TYPE_NAMES = Object.keys(TYPED_VALUES) as TypeName[];

/** A value of a JSON type other than `original`'s. */
export function wrongValueFor(original: unknown): fc.Arbitrary<unknown> {
  const own = jsonType(original);
  return fc
    .constantFrom(...TYPE_NAMES.filter((name) => name !== own))
    .chain((name): fc.Arbitrary<unknown> => TYPED_VALUES[name]);
}

/** The first value of another type, for the sweep that visits every path once. */
export function plainWrongValue(original: unknown): unknown {
  const replacements: Record<TypeName, unknown> = {
    null: {},
    boolean: 'true',
    number: '1',
    string: 42,
    array: { 0: 'not an array' },
    object: ['not an object'],
  };
  return replacements[jsonType(original)];
}

/** `wrong-type` at every path of `sample`, once each: the deterministic examples of the sweep. */
export function wrongTypeAtEveryPath(sample: JsonValue): Mutation[] {
  return jsonPaths(sample).map((path) => ({
    kind: 'wrong-type',
    path,
    value: plainWrongValue(valueAt(sample, path)),
  }));
}

const INVALID_UTF8: number[][] = [
  [0xff],
  [0xfe, 0xff],
  [0xc3, 0x28],
  [0xa0, 0xa1],
  [0xe2, 0x28, 0xa1],
  [0xe2, 0x82, 0x28],
  [0xf0, 0x28, 0x8c, 0xbc],
  [0xf0, 0x90, 0x28, 0xbc],
  [0xc0, 0xaf],
  [0xed, 0xa0, 0x80],
  [0xf8, 0x88, 0x80, 0x80, 0x80],
  [0x80],
];

/** Strings that have broken parsers, headers, URLs and logs elsewhere. */
export const ODD_STRINGS = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    'a\r\nX-Injected: 1',
    '\n',
    '../../etc/passwd',
    '..%2F..%2Fetc%2Fpasswd',
    '%25',
    '%',
    '%zz',
    '模型-名前-🚀',
    'gpt-4o\u202e',
    '\ud83d\ude80',
    'ÿ',
    'Ā',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the literal text is the point
    '${jndi:ldap://x}',
    '<script>alert(1)</script>',
    "' OR 1=1 --",
    'gpt-4o:generateContent',
    'models/gemini-2.5-pro',
    '*',
    '?',
    '#',
  ),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme-ascii', minLength: 1000, maxLength: 5000 }),
);

const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'prototype', 'hasOwnProperty', 'toString', 'valueOf'];

const CONTENT_TYPES: Array<string | null> = [
  null,
  'text/plain',
  'text/plain; charset=utf-8',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=switchyard',
  'application/octet-stream',
  'application/xml',
  'application/json; charset=latin1',
  'application/json; charset=utf-16',
  'application/jsonx',
  'APPLICATION/JSON',
  'application/*',
  '*/*',
  'text/json',
  '',
];

const NOT_OBJECTS = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    'null',
    '[]',
    '[{}]',
    '"text"',
    '42',
    'true',
    '{',
    '}',
    '{"a":}',
    'NaN',
    "{'a':1}",
    '{"a":1}}',
    '\u0000',
    '\ufeff{}',
  ),
  fc.string(),
  fc
    .jsonValue()
    .filter((value) => !isJsonObject(value))
    .map((value) => JSON.stringify(value)),
);

/** Sizes of huge strings and arrays: large, but under the fuzz gateway's body limit. */
export interface HugeSizes {
  maxStringLength: number;
  maxArrayLength: number;
  maxDepth: number;
}

/** Arbitraries of every mutation kind for one sample body. */
export function mutationsOf(
  sample: JsonValue,
  sizes: HugeSizes,
): Record<MutationKind, fc.Arbitrary<Mutation>> {
  const anyPath = fc.constantFrom(...jsonPaths(sample));
  const objectPaths = pathsOfType(sample, 'object');
  const stringPaths = pathsOfType(sample, 'string');
  const stringPath = stringPaths.length > 0 ? fc.constantFrom(...stringPaths) : fc.constant<JsonPath>([]);
  return {
    truncated: fc
      .double({ min: 0, max: 0.999, noNaN: true })
      .map((fraction) => ({ kind: 'truncated', fraction })),
    'not-an-object': NOT_OBJECTS.map((text) => ({ kind: 'not-an-object', text })),
    'odd-string': fc.record({
      kind: fc.constant('odd-string' as const),
      path: stringPath,
      value: ODD_STRINGS,
    }),
    'wrong-type': anyPath.chain((path) =>
      wrongValueFor(valueAt(sample, path)).map((value): Mutation => ({ kind: 'wrong-type', path, value })),
    ),
    'huge-string': fc
      .record({
        kind: fc.constant('huge-string' as const),
        path: anyPath,
        unit: fc.oneof(fc.constant('a'), fc.string({ minLength: 1, maxLength: 3, unit: 'grapheme' })),
        length: fc.integer({ min: 10_000, max: sizes.maxStringLength }),
      })
      .map((mutation) => ({
        ...mutation,
        length: Math.floor(mutation.length / Math.max(1, Buffer.byteLength(mutation.unit))),
      })),
    'huge-array': fc.record({
      kind: fc.constant('huge-array' as const),
      path: anyPath,
      element: fc.oneof(
        fc.constant(0),
        fc.constant('x'),
        fc.constant({}),
        fc.constant(null),
        fc.constant([]),
      ),
      length: fc.integer({ min: 1000, max: sizes.maxArrayLength }),
    }),
    'deep-nesting': fc.record({
      kind: fc.constant('deep-nesting' as const),
      path: anyPath,
      container: fc.constantFrom('array' as const, 'object' as const),
      depth: fc.integer({ min: 64, max: sizes.maxDepth }),
    }),
    'prototype-key': fc.record({
      kind: fc.constant('prototype-key' as const),
      path: fc.constantFrom(...objectPaths),
      key: fc.constantFrom(...PROTOTYPE_KEYS),
      value: fc.oneof(
        fc.constant({ polluted: 'yes', isAdmin: true }),
        fc.constant({ toString: 'x' }),
        fc.constant(null),
        fc.jsonValue({ maxDepth: 2 }),
      ),
    }),
    'invalid-utf8': fc.record({
      kind: fc.constant('invalid-utf8' as const),
      path: stringPath,
      bytes: fc.constantFrom(...INVALID_UTF8),
    }),
    'lone-surrogate': fc.record({
      kind: fc.constant('lone-surrogate' as const),
      path: stringPath,
      escape: fc.constantFrom('\\ud800', '\\udfff', '\\udc00\\ud800', '\\ud83d'),
    }),
    'content-type': fc
      .constantFrom(...CONTENT_TYPES)
      .map((contentType) => ({ kind: 'content-type', contentType })),
    oversized: fc.record({
      kind: fc.constant('oversized' as const),
      extraBytes: fc.integer({ min: 1, max: 64 * 1024 }),
      chunked: fc.boolean(),
    }),
  };
}
