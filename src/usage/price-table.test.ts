import { describe, expect, it } from 'vitest';
import { configuredPrices, estimateCost, PriceTable } from './price-table.js';

describe('PriceTable', () => {
  const table = new PriceTable();

  it.each([
    ['gpt-4o-2024-08-06', 'gpt-4o*'],
    ['gpt-4o-mini', 'gpt-4o-mini*'],
    ['gpt-4.1-nano', 'gpt-4.1-nano*'],
    ['gpt-5', 'gpt-5*'],
    ['gpt-5-mini-2025-08-07', 'gpt-5-mini*'],
    ['o3-mini', 'o3-mini*'],
    ['o4-mini', 'o4-mini*'],
    ['claude-opus-4-5-20251101', 'claude-opus-4*'],
    ['claude-opus-4-1-20250805', 'claude-opus-4-1*'],
    ['claude-sonnet-4-5-20250929', 'claude-sonnet-4*'],
    ['claude-haiku-4-5', 'claude-haiku-4*'],
    ['gemini-2.5-flash-lite', 'gemini-2.5-flash-lite*'],
    ['gemini-2.5-pro', 'gemini-2.5-pro*'],
  ])('prices %s by its family %s', (model, pattern) => {
    expect(table.priceOf(model)).toMatchObject({ pattern, source: 'default' });
  });

  it('knows no price for a model outside the table', () => {
    expect(table.priceOf('llama-3-70b')).toBeNull();
    expect(
      table.costOf('llama-3-70b', {
        inputTokens: 1,
        outputTokens: 1,
        cacheReadTokens: 0,
        cacheWriteTokens: 0,
      }),
    ).toBeNull();
  });

  it('lets configured prices replace a default and add models, exact ids before wildcards', () => {
    const configured = new PriceTable(
      configuredPrices({
        'gpt-4o*': { input: 1, output: 2 },
        'llama-*': { input: 0.5, output: 0.5, cache_read: 0.1 },
        'gpt-4o-2024-08-06': { input: 3, output: 4, cache_read: 1, cache_write: 2 },
      }),
    );

    expect(configured.priceOf('gpt-4o')).toMatchObject({
      pattern: 'gpt-4o*',
      source: 'config',
      price: { input: 1, output: 2, cacheRead: 1, cacheWrite: 1 },
    });
    expect(configured.priceOf('gpt-4o-2024-08-06')?.price).toEqual({
      input: 3,
      output: 4,
      cacheRead: 1,
      cacheWrite: 2,
    });
    expect(configured.priceOf('llama-3')?.price.cacheRead).toBe(0.1);
    expect(configured.priceOf('gpt-4o-mini')?.source).toBe('default');
  });

  it('prices cache reads and writes apart from the rest of the prompt', () => {
    const price = { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 };

    const cost = estimateCost(
      { inputTokens: 1_000_000, outputTokens: 100_000, cacheReadTokens: 600_000, cacheWriteTokens: 200_000 },
      price,
    );

    // 200k uncached × 3 + 600k × 0.3 + 200k × 3.75 + 100k × 15, per million.
    expect(cost).toBeCloseTo(0.6 + 0.18 + 0.75 + 1.5, 10);
  });
});
