import { describe, expect, it } from 'vitest';
import { overlayEnvironment, shadowedSettings, withoutPinned } from './environment-overlay.js';
import type { EnvironmentOverrides } from './environment-overrides.js';

const overrides: EnvironmentOverrides = [
  { variable: 'SWITCHYARD_PROXY__CUSTOM_MAPPING', path: ['proxy', 'custom_mapping'], value: { a: 'b' } },
  {
    variable: 'SWITCHYARD_PROXY__SCHEDULING__MODE',
    path: ['proxy', 'scheduling', 'mode'],
    value: 'CacheFirst',
  },
  { variable: 'SWITCHYARD_REFRESH_INTERVAL', path: ['refresh_interval'], value: 5 },
];

describe('overlayEnvironment', () => {
  it('replaces each value as a whole (a record is not merged with the file), creating sections, without changing the input', () => {
    const document = { proxy: { custom_mapping: { x: 'y' }, port: 9000 } };
    const copy = structuredClone(document);
    expect(overlayEnvironment(document, overrides)).toEqual({
      proxy: { custom_mapping: { a: 'b' }, port: 9000, scheduling: { mode: 'CacheFirst' } },
      refresh_interval: 5,
    });
    expect(document).toEqual(copy);
  });

  it('leaves a non-object where a section belongs for validation to report', () => {
    expect(overlayEnvironment({ proxy: 5 }, overrides)).toEqual({ proxy: 5, refresh_interval: 5 });
  });
});

describe('withoutPinned and shadowedSettings', () => {
  it('removes the paths the environment gives and names the ones the file sets differently', () => {
    const document = {
      proxy: { custom_mapping: { a: 'b' }, scheduling: { mode: 'Balance', max_wait_seconds: 5 } },
    };
    expect(withoutPinned(document, overrides)).toEqual({ proxy: { scheduling: { max_wait_seconds: 5 } } });
    expect(shadowedSettings(document, overrides).map((setting) => setting.variable)).toEqual([
      'SWITCHYARD_PROXY__SCHEDULING__MODE',
    ]);
  });
});
