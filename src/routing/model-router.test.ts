import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ModelResolution, ModelRouter, resolveModel } from './model-router.js';

/** A single-model resolution: `models` is just the mapped model. */
type Single = Omit<ModelResolution, 'models'>;

function single(expected: Single): ModelResolution {
  return { ...expected, models: [expected.mapped] };
}

const mapping: Record<string, string> = {
  'gpt-4o': 'gemini-2.5-pro',
  'gpt-4*': 'gemini-2.5-flash',
  'gpt-4o*': 'gemini-2.5-pro',
  'claude-*': 'claude-sonnet-4-6',
  'claude-*-thinking': 'claude-opus-4-6-thinking',
  'claude-opus-*': 'claude-opus-4-6',
  '*-haiku-*': 'claude-haiku-fast',
  '*': 'catch-all',
  // Two patterns of equal specificity (2): the lexicographically smaller one wins.
  'x-*': 'tie-prefix',
  '*-y': 'tie-suffix',
  'a*b*c': 'three-part',
  'a**c': 'double-star',
};

describe('ModelRouter.resolve', () => {
  it.each<[string, string, Single]>([
    [
      'an exact key beats every wildcard',
      'gpt-4o',
      { mapped: 'gemini-2.5-pro', rule: 'gpt-4o', kind: 'exact' },
    ],
    [
      'the longer prefix wildcard beats the shorter one',
      'gpt-4o-mini',
      { mapped: 'gemini-2.5-pro', rule: 'gpt-4o*', kind: 'wildcard' },
    ],
    ['a prefix wildcard', 'gpt-4-turbo', { mapped: 'gemini-2.5-flash', rule: 'gpt-4*', kind: 'wildcard' }],
    [
      'a star may match the empty run',
      'gpt-4',
      { mapped: 'gemini-2.5-flash', rule: 'gpt-4*', kind: 'wildcard' },
    ],
    [
      'prefix and suffix beat a prefix alone',
      'claude-sonnet-4-5-thinking',
      { mapped: 'claude-opus-4-6-thinking', rule: 'claude-*-thinking', kind: 'wildcard' },
    ],
    [
      'specificity counts characters, not stars (claude-*-thinking 16 > claude-opus-* 12)',
      'claude-opus-4-thinking',
      { mapped: 'claude-opus-4-6-thinking', rule: 'claude-*-thinking', kind: 'wildcard' },
    ],
    [
      'claude-opus-* (12) beats claude-* (7)',
      'claude-opus-4-1',
      { mapped: 'claude-opus-4-6', rule: 'claude-opus-*', kind: 'wildcard' },
    ],
    [
      'a multi-star pattern tied with a prefix one (both 7): "*" sorts before "c"',
      'claude-3-haiku-20240307',
      { mapped: 'claude-haiku-fast', rule: '*-haiku-*', kind: 'wildcard' },
    ],
    [
      'the catch-all star takes the rest',
      'mistral-large',
      { mapped: 'catch-all', rule: '*', kind: 'wildcard' },
    ],
    [
      'ties are broken by the lexicographically smaller pattern',
      'x-y',
      { mapped: 'tie-suffix', rule: '*-y', kind: 'wildcard' },
    ],
    [
      'middle segments match in order',
      'a-then-b-then-c',
      { mapped: 'three-part', rule: 'a*b*c', kind: 'wildcard' },
    ],
    [
      'a pattern whose middle segment is missing does not match',
      'a-then-c',
      { mapped: 'double-star', rule: 'a**c', kind: 'wildcard' },
    ],
    ['matching is case-sensitive', 'GPT-4o', { mapped: 'catch-all', rule: '*', kind: 'wildcard' }],
  ])('%s', (_name, model, expected) => {
    expect(new ModelRouter(mapping).resolve(model)).toEqual(single(expected));
  });

  it.each<[string, Record<string, string>, string, Single]>([
    ['pass-through without any mapping', {}, 'gpt-5', { mapped: 'gpt-5', rule: null, kind: 'passthrough' }],
    [
      'pass-through when no pattern matches',
      { 'gpt-*': 'x', '*-mini': 'y' },
      'claude-opus',
      { mapped: 'claude-opus', rule: null, kind: 'passthrough' },
    ],
    [
      'case differs → pass-through',
      { 'Claude-*': 'x' },
      'claude-opus',
      { mapped: 'claude-opus', rule: null, kind: 'passthrough' },
    ],
    [
      'a literal star key matches exactly the model "*"-containing name',
      { 'gpt-*': 'wild', 'gpt-*x': 'longer' },
      'gpt-*',
      { mapped: 'wild', rule: 'gpt-*', kind: 'exact' },
    ],
    [
      'suffix must not overlap the prefix (ab*ba does not match "aba")',
      { 'ab*ba': 'x' },
      'aba',
      { mapped: 'aba', rule: null, kind: 'passthrough' },
    ],
    [
      'equal specificity, the winner does not depend on key order (a)',
      { 'm-*-z': 'dash', 'm*-z-': 'other', 'm-*': 'short' },
      'm-a-z-',
      { mapped: 'other', rule: 'm*-z-', kind: 'wildcard' },
    ],
    [
      'equal specificity, the winner does not depend on key order (b)',
      { 'm-*': 'short', 'm*-z-': 'other', 'm-*-z': 'dash' },
      'm-a-z-',
      { mapped: 'other', rule: 'm*-z-', kind: 'wildcard' },
    ],
  ])('%s', (_name, table, model, expected) => {
    expect(new ModelRouter(table).resolve(model)).toEqual(single(expected));
  });

  it('gives the same answer on repeated calls (memoised) and for more models than the memo holds', () => {
    const router = new ModelRouter({ 'gpt-*': 'mapped' });
    for (let index = 0; index < 3000; index++) {
      expect(router.resolve(`gpt-${index}`).mapped).toBe('mapped');
      expect(router.resolve(`other-${index}`).kind).toBe('passthrough');
    }
    expect(router.resolve('gpt-1')).toBe(router.resolve('gpt-1'));
  });

  it('does not see later changes to the mapping object (compiled once)', () => {
    const table: Record<string, string> = { 'a*': 'first' };
    const router = new ModelRouter(table);
    table['abc'] = 'second';
    expect(router.resolve('abc').mapped).toBe('first');
  });

  it('resolveModel agrees with ModelRouter for any mapping and model', () => {
    const segment = fc.constantFrom('a', 'b', 'ab', '-', '*', '**');
    const pattern = fc.array(segment, { minLength: 1, maxLength: 4 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(fc.dictionary(pattern, fc.string()), fc.stringMatching(/^[ab-]{0,6}$/), (table, model) => {
        const resolution = resolveModel(model, table);
        expect(resolution).toEqual(new ModelRouter(table).resolve(model));
        if (resolution.kind === 'passthrough') expect(resolution.mapped).toBe(model);
        else expect(resolution.mapped).toBe(table[resolution.rule ?? '']);
      }),
    );
  });
});

describe('ModelRouter fallback chains and aliases', () => {
  const aliases = [
    {
      pattern: 'claude-haiku-4*',
      models: ['claude-haiku-4-5', 'gemini-2.5-flash'],
      client: 'c',
      source: 'builtin',
    },
    { pattern: 'claude-haiku-4-5-20251001', models: ['exact-alias'], client: 'c', source: 'builtin' },
  ] as const;

  it('a mapping value that is a list is a chain, tried in its order, each model once', () => {
    const router = new ModelRouter({
      'claude-opus-4-*': ['claude-opus-4-5', 'claude-sonnet-4-5', 'claude-opus-4-5'],
    });
    expect(router.resolve('claude-opus-4-1')).toEqual({
      mapped: 'claude-opus-4-5',
      models: ['claude-opus-4-5', 'claude-sonnet-4-5'],
      rule: 'claude-opus-4-*',
      kind: 'wildcard',
    });
  });

  it('an alias tries the requested model first, then its models', () => {
    expect(new ModelRouter({}, aliases).resolve('claude-haiku-4-1')).toEqual({
      mapped: 'claude-haiku-4-1',
      models: ['claude-haiku-4-1', 'claude-haiku-4-5', 'gemini-2.5-flash'],
      rule: 'claude-haiku-4*',
      kind: 'alias',
    });
  });

  it('an alias target equal to the requested model is not tried twice', () => {
    expect(new ModelRouter({}, aliases).resolve('claude-haiku-4-5').models).toEqual([
      'claude-haiku-4-5',
      'gemini-2.5-flash',
    ]);
  });

  it('among aliases an exact pattern beats a wildcard', () => {
    expect(new ModelRouter({}, aliases).resolve('claude-haiku-4-5-20251001').rule).toBe(
      'claude-haiku-4-5-20251001',
    );
  });

  it('any custom mapping key, even a less specific wildcard, wins over an alias', () => {
    const resolution = new ModelRouter({ 'claude-*': 'mine' }, aliases).resolve('claude-haiku-4-5');
    expect(resolution).toMatchObject({ models: ['mine'], rule: 'claude-*', kind: 'wildcard' });
  });

  it('models no rule or alias matches pass through', () => {
    expect(new ModelRouter({}, aliases).resolve('llama-3').kind).toBe('passthrough');
  });
});
