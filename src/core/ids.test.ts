import { describe, expect, it } from 'vitest';
import { newApiKey, systemIds } from './ids.js';

describe('systemIds.requestId', () => {
  it('gives unique ids that sort in creation order', () => {
    const ids = Array.from({ length: 2000 }, () => systemIds.requestId());
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
    expect(ids[0]).toMatch(/^req_[0-9a-z]{9}[0-9a-f]{14}$/);
  });
});

describe('newApiKey', () => {
  it('is sk- followed by 32 hex characters', () => {
    expect(newApiKey()).toMatch(/^sk-[0-9a-f]{32}$/);
  });
});
