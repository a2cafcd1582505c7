import type { Usage } from '../core/model/index.js';
import { ModelRouter } from '../routing/index.js';
import { DEFAULT_PRICES, type ModelPrice } from './default-prices.js';

export type { ModelPrice } from './default-prices.js';

/** The price that applies to one model, and where it comes from. */
export interface ResolvedPrice {
  /** The table key that matched: the model id itself, or a wildcard. */
  pattern: string;
  price: ModelPrice;
  /** `config` when `pricing.models` in gui_config.json set this entry, `default` when it ships with Switchyard. */
  source: 'default' | 'config';
}

/** The token counts a cost is computed from (the canonical `Usage` convention). */
export type PricedUsage = Pick<
  Usage,
  'inputTokens' | 'outputTokens' | 'cacheReadTokens' | 'cacheWriteTokens'
>;

/**
 * Estimated cost in US dollars of `usage` at `price`. `inputTokens` holds the whole prompt, so the
 * cache reads and writes are taken out of it and priced at their own rates.
 */
export function estimateCost(usage: PricedUsage, price: ModelPrice): number {
  const uncached = Math.max(0, usage.inputTokens - usage.cacheReadTokens - usage.cacheWriteTokens);
  return (
    (uncached * price.input +
      usage.cacheReadTokens * price.cacheRead +
      usage.cacheWriteTokens * price.cacheWrite +
      usage.outputTokens * price.output) /
    1_000_000
  );
}

/**
 * The default prices with the configured ones over them (a configured key replaces the default of
 * the same key). A model finds its price like `proxy.custom_mapping` finds a rule: exact id first,
 * then the most specific wildcard; a model nothing matches has no price (cost unknown, not zero).
 */
export class PriceTable {
  private readonly prices = new Map<string, ResolvedPrice>();
  private readonly router: ModelRouter;

  constructor(configured: Readonly<Record<string, ModelPrice>> = {}) {
    for (const [pattern, price] of Object.entries(DEFAULT_PRICES))
      this.prices.set(pattern, { pattern, price, source: 'default' });
    for (const [pattern, price] of Object.entries(configured))
      this.prices.set(pattern, { pattern, price, source: 'config' });
    const identity: Record<string, string> = {};
    for (const pattern of this.prices.keys()) identity[pattern] = pattern;
    this.router = new ModelRouter(identity);
  }

  /** The price of `model`, or null when no entry matches. */
  priceOf(model: string): ResolvedPrice | null {
    const { rule } = this.router.resolve(model);
    return rule === null ? null : (this.prices.get(rule) ?? null);
  }

  /** Estimated cost of `usage` on `model` in US dollars; null when the model has no price. */
  costOf(model: string, usage: PricedUsage): number | null {
    const resolved = this.priceOf(model);
    return resolved === null ? null : estimateCost(usage, resolved.price);
  }

  /** Every entry, sorted by pattern. */
  entries(): ResolvedPrice[] {
    return [...this.prices.values()].sort((left, right) => (left.pattern < right.pattern ? -1 : 1));
  }
}

/** `pricing.models` of gui_config.json as the table wants it: cache prices default to the input price. */
export function configuredPrices(
  models: Readonly<
    Record<string, { input: number; output: number; cache_read?: number; cache_write?: number }>
  >,
): Record<string, ModelPrice> {
  const prices: Record<string, ModelPrice> = {};
  for (const [pattern, entry] of Object.entries(models)) {
    prices[pattern] = {
      input: entry.input,
      output: entry.output,
      cacheRead: entry.cache_read ?? entry.input,
      cacheWrite: entry.cache_write ?? entry.input,
    };
  }
  return prices;
}
