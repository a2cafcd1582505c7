/**
 * The price table Switchyard ships with: list prices in US dollars per million tokens, as the
 * providers published them for standard (non-batch) use of prompts up to 200k tokens, late 2025.
 * Every number is an estimate of what a request costs — providers change prices, give discounts
 * and bill long prompts differently — so everything computed from it is labelled "estimated".
 * Override or extend any entry with `pricing.models` in gui_config.json.
 *
 * Keys are model ids or wildcards, resolved like `proxy.custom_mapping`: an exact id wins, then the
 * most specific wildcard (`gpt-4o-mini*` before `gpt-4o*`), so dated snapshots such as
 * `gpt-4o-2024-08-06` or `claude-sonnet-4-5-20250929` find their family. `cacheWrite` equals the
 * input price for providers that do not charge extra for writing the cache (OpenAI, Google).
 */

/** USD per million tokens. `input` is for uncached prompt tokens. */
export interface ModelPrice {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
}

function openAi(input: number, cached: number, output: number): ModelPrice {
  return { input, output, cacheRead: cached, cacheWrite: input };
}

function anthropic(input: number, output: number): ModelPrice {
  // Anthropic: cache reads cost 10 % of input, 5-minute cache writes 125 %.
  return { input, output, cacheRead: round(input * 0.1), cacheWrite: round(input * 1.25) };
}

function google(input: number, cached: number, output: number): ModelPrice {
  return { input, output, cacheRead: cached, cacheWrite: input };
}

function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

export const DEFAULT_PRICES: Readonly<Record<string, ModelPrice>> = {
  'gpt-4o*': openAi(2.5, 1.25, 10),
  'gpt-4o-mini*': openAi(0.15, 0.075, 0.6),
  'gpt-4.1*': openAi(2, 0.5, 8),
  'gpt-4.1-mini*': openAi(0.4, 0.1, 1.6),
  'gpt-4.1-nano*': openAi(0.1, 0.025, 0.4),
  'gpt-5*': openAi(1.25, 0.125, 10),
  'gpt-5-mini*': openAi(0.25, 0.025, 2),
  'gpt-5-nano*': openAi(0.05, 0.005, 0.4),
  'gpt-5-pro*': openAi(15, 15, 120),
  'o1*': openAi(15, 7.5, 60),
  'o1-mini*': openAi(1.1, 0.55, 4.4),
  'o1-pro*': openAi(150, 150, 600),
  'o3*': openAi(2, 0.5, 8),
  'o3-mini*': openAi(1.1, 0.55, 4.4),
  'o3-pro*': openAi(20, 20, 80),
  'o4-mini*': openAi(1.1, 0.275, 4.4),
  'claude-opus-4*': anthropic(5, 25),
  'claude-opus-4-0*': anthropic(15, 75),
  'claude-opus-4-1*': anthropic(15, 75),
  'claude-opus-4-2025*': anthropic(15, 75),
  'claude-sonnet-4*': anthropic(3, 15),
  'claude-haiku-4*': anthropic(1, 5),
  'claude-3-7-sonnet*': anthropic(3, 15),
  'claude-3-5-sonnet*': anthropic(3, 15),
  'claude-3-5-haiku*': anthropic(0.8, 4),
  'gemini-2.5-pro*': google(1.25, 0.125, 10),
  'gemini-2.5-flash*': google(0.3, 0.03, 2.5),
  'gemini-2.5-flash-lite*': google(0.1, 0.01, 0.4),
  'gemini-2.0-flash*': google(0.1, 0.025, 0.4),
  'gemini-3-pro*': google(2, 0.2, 12),
};
