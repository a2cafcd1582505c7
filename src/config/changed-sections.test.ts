import { describe, expect, it } from 'vitest';
import { changedSections, isDeepEqual } from './changed-sections.js';

const base = {
  refresh_interval: 15,
  proxy: { port: 8045, scheduling: { mode: 'Balance', max_wait_seconds: 60 }, custom_mapping: { a: 'b' } },
};

describe('changedSections', () => {
  const cases: Array<{ name: string; current: object; expected: string[] }> = [
    { name: 'nothing when equal', current: structuredClone(base), expected: [] },
    { name: 'a top-level scalar', current: { ...base, refresh_interval: 5 }, expected: ['refresh_interval'] },
    {
      name: 'a depth-2 scalar',
      current: { ...base, proxy: { ...base.proxy, port: 1 } },
      expected: ['proxy.port'],
    },
    {
      name: 'a deeper change by its depth-2 section',
      current: {
        ...base,
        proxy: { ...base.proxy, scheduling: { mode: 'CacheFirst', max_wait_seconds: 60 } },
      },
      expected: ['proxy.scheduling'],
    },
    {
      name: 'a record entry by its record',
      current: { ...base, proxy: { ...base.proxy, custom_mapping: {} } },
      expected: ['proxy.custom_mapping'],
    },
    { name: 'an added top-level key', current: { ...base, extra: 1 }, expected: ['extra'] },
    {
      name: 'a removed nested key',
      current: { ...base, proxy: { port: 8045, scheduling: base.proxy.scheduling } },
      expected: ['proxy.custom_mapping'],
    },
    { name: 'an object replaced by a scalar', current: { ...base, proxy: 1 }, expected: ['proxy'] },
  ];

  for (const testCase of cases) {
    it(`reports ${testCase.name}`, () => {
      expect(changedSections(base, testCase.current)).toEqual(testCase.expected);
    });
  }
});

describe('isDeepEqual', () => {
  it.each([
    [[1, [2, { a: 3 }]], [1, [2, { a: 3 }]], true],
    [[1, 2], [2, 1], false],
    [{ a: 1, b: 2 }, { b: 2, a: 1 }, true],
    [{ a: undefined }, { b: undefined }, false],
    [{ a: 1 }, [1], false],
    [null, {}, false],
    [Number.NaN, Number.NaN, true],
  ])('compares %j and %j as %s', (left, right, expected) => {
    expect(isDeepEqual(left, right)).toBe(expected);
  });
});
