/**
 * fast-check arbitraries of the mutations in `body-mutations.ts`, for one valid sample body: a
 * wrong type at any path, odd strings, huge strings and arrays, deep nesting, prototype keys,
 * invalid UTF-8, odd content types, oversized bodies.
 */
import fc from 'fast-check';
import { isJsonObject, type JsonValue } from '../../src/core/json.js';
import {
  type JsonPath,
  jsonPaths,
  jsonType,
  type Mutation,
  type MutationKind,
  pathsOfType,
  valueAt,
} from './body-mutations.js';

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
