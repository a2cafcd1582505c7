import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../core/json.js';
import { mergeConfigPatch } from './merge-config-patch.js';

const document: JsonObject = {
  extra: { keep: 1 },
  refresh_interval: 15,
  proxy: {
    port: 8045,
    scheduling: { mode: 'Balance', max_wait_seconds: 60 },
    custom_mapping: { a: 'x', b: 'y' },
    circuit_breaker: { backoff_steps: [60, 300] },
  },
  oauth: { clients: { 'code-assist': [{ client_id: 'a' }], gemini: [{ client_id: 'g' }] } },
};

describe('mergeConfigPatch', () => {
  const cases: Array<{ name: string; patch: JsonObject; expected: JsonObject }> = [
    {
      name: 'merges nested objects key by key',
      patch: { proxy: { scheduling: { mode: 'CacheFirst' } } },
      expected: { proxy: { scheduling: { mode: 'CacheFirst', max_wait_seconds: 60 } } },
    },
    {
      name: 'replaces arrays',
      patch: { proxy: { circuit_breaker: { backoff_steps: [5] } } },
      expected: { proxy: { circuit_breaker: { backoff_steps: [5] } } },
    },
    {
      name: 'replaces custom_mapping as a whole, so entries can be removed',
      patch: { proxy: { custom_mapping: { c: 'z' } } },
      expected: { proxy: { custom_mapping: { c: 'z' } } },
    },
    {
      name: 'replaces oauth.clients as a whole, so a provider can lose its clients',
      patch: { oauth: { clients: { gemini: [{ client_id: 'h' }] } } },
      expected: { oauth: { clients: { gemini: [{ client_id: 'h' }] } } },
    },
    {
      name: 'sets null values',
      patch: { proxy: { scheduling: null } },
      expected: { proxy: { scheduling: null } },
    },
    {
      name: 'adds unknown keys',
      patch: { proxy: { new_flag: true }, other: [1] },
      expected: { proxy: { new_flag: true }, other: [1] },
    },
  ];

  it('drops the providers a patch of oauth.clients leaves out', () => {
    const merged = mergeConfigPatch(document, { oauth: { clients: { gemini: [{ client_id: 'h' }] } } });
    expect(merged['oauth']).toEqual({ clients: { gemini: [{ client_id: 'h' }] } });
  });

  for (const testCase of cases) {
    it(testCase.name, () => {
      const merged = mergeConfigPatch(document, testCase.patch);
      expect(merged).toMatchObject(testCase.expected);
      expect(merged['extra']).toEqual({ keep: 1 });
      expect(merged['refresh_interval']).toBe(15);
      expect((merged['proxy'] as JsonObject)['port']).toBe(8045);
    });
  }

  it('changes neither input', () => {
    const before = structuredClone(document);
    const patch: JsonObject = { proxy: { scheduling: { mode: 'CacheFirst' } } };
    mergeConfigPatch(document, patch);
    expect(document).toEqual(before);
    expect(patch).toEqual({ proxy: { scheduling: { mode: 'CacheFirst' } } });
  });

  it('ignores a __proto__ key instead of changing the prototype', () => {
    const patch = JSON.parse('{"__proto__": {"polluted": true}, "proxy": {"port": 1}}') as JsonObject;
    const merged = mergeConfigPatch(document, patch);
    expect(Object.getPrototypeOf(merged)).toBe(Object.prototype);
    expect((merged as Record<string, unknown>)['polluted']).toBeUndefined();
    expect((merged['proxy'] as JsonObject)['port']).toBe(1);
  });
});
