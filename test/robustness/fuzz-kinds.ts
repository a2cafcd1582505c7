/**
 * The mutation kinds every fuzzed route gets, with how many random cases each runs by default in
 * `npm test` (large bodies cost more, so fewer of them), and the deterministic examples that always
 * run first: a wrong type at every path of the first sample, every odd content type.
 */
import type fc from 'fast-check';
import { isJsonObject, type JsonValue } from '../../src/core/json.js';
import { type Mutation, type MutationKind, pathsOfType } from '../support/body-mutations.js';
import type { FuzzSettings } from '../support/fuzz-settings.js';
import { type HugeSizes, mutationsOf, wrongTypeAtEveryPath } from '../support/mutation-arbitraries.js';
import { FUZZ_BODY_LIMIT, type FuzzRig, fuzzRoute } from './fuzz-rig.js';
import type { FuzzRoute } from './fuzz-routes.js';

const SIZES: HugeSizes = {
  maxStringLength: Math.floor(FUZZ_BODY_LIMIT * 0.8),
  maxArrayLength: 100_000,
  maxDepth: 100_000,
};

export interface FuzzKind {
  kind: MutationKind;
  defaultRuns: number;
  examples(sample: JsonValue): Mutation[];
}

const none = () => [];

/** Keys of the fields that carry prose (messages, system prompts, instructions, tool output). */
const PROSE_KEYS = new Set(['text', 'content', 'thinking', 'instructions', 'output']);

export const FUZZ_KINDS: FuzzKind[] = [
  {
    kind: 'truncated',
    defaultRuns: 12,
    examples: () => [
      { kind: 'truncated', fraction: 0 },
      { kind: 'truncated', fraction: 0.5 },
    ],
  },
  { kind: 'not-an-object', defaultRuns: 12, examples: none },
  { kind: 'wrong-type', defaultRuns: 12, examples: (sample) => wrongTypeAtEveryPath(sample) },
  {
    kind: 'odd-string',
    defaultRuns: 12,
    examples: (sample) =>
      isJsonObject(sample) && typeof sample['model'] === 'string'
        ? ['a\r\nX-Injected: 1', '模型-名前-🚀', 'x'.repeat(100_000)].map((value) => ({
            kind: 'odd-string',
            path: ['model'],
            value,
          }))
        : [],
  },
  {
    kind: 'huge-string',
    defaultRuns: 4,
    // One long word in every prose field: what byte-pair encoding, regexes and copies choke on.
    examples: (sample) =>
      pathsOfType(sample, 'string')
        .filter((path) => PROSE_KEYS.has(String(path.at(-1))))
        .map((path) => ({ kind: 'huge-string', path, unit: 'a', length: 300_000 })),
  },
  { kind: 'huge-array', defaultRuns: 4, examples: none },
  { kind: 'deep-nesting', defaultRuns: 6, examples: none },
  { kind: 'prototype-key', defaultRuns: 10, examples: none },
  { kind: 'invalid-utf8', defaultRuns: 8, examples: none },
  { kind: 'lone-surrogate', defaultRuns: 4, examples: none },
  {
    kind: 'content-type',
    defaultRuns: 4,
    examples: () =>
      [null, 'text/plain', 'application/x-www-form-urlencoded', 'application/octet-stream'].map(
        (contentType) => ({ kind: 'content-type', contentType }),
      ),
  },
  {
    kind: 'oversized',
    defaultRuns: 2,
    examples: () => [
      { kind: 'oversized', extraBytes: 1, chunked: false },
      { kind: 'oversized', extraBytes: 1, chunked: true },
    ],
  },
];

/** The arbitrary of one kind for a sample. */
export function arbitraryOf(kind: MutationKind): (sample: JsonValue) => fc.Arbitrary<Mutation> {
  return (sample) => mutationsOf(sample, SIZES)[kind];
}

/** Runs the property of one kind against one route: its examples, then its random cases. */
export function fuzzKind(options: {
  rig: FuzzRig;
  route: FuzzRoute;
  kind: FuzzKind;
  settings: FuzzSettings;
  /** After a case that succeeded: put back what it changed. */
  restore?: () => Promise<void>;
}): Promise<void> {
  const { route, kind } = options;
  return fuzzRoute({
    ...options,
    name: `${route.name} ${kind.kind}`,
    defaultRuns: kind.defaultRuns,
    arbitrary: arbitraryOf(kind.kind),
    examples: kind.examples(route.samples[0] ?? null),
  });
}
