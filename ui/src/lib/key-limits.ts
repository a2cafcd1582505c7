/** The key form's limit fields (text, as typed) and the `limits` object of the admin contract. */
import type { KeyLimitsBody } from '../api/types.js';
import { formatTokens } from './format.js';

export const LIMIT_FIELDS = [
  { field: 'requests_per_minute', label: 'Requests per minute', whole: true },
  { field: 'tokens_per_minute', label: 'Tokens per minute', whole: true },
  { field: 'tokens_per_day', label: 'Tokens per day (UTC)', whole: true },
  { field: 'tokens_per_month', label: 'Tokens per month (UTC)', whole: true },
  { field: 'cost_per_day', label: 'Estimated $ per day (UTC)', whole: false },
  { field: 'cost_per_month', label: 'Estimated $ per month (UTC)', whole: false },
] as const satisfies readonly { field: keyof KeyLimitsBody; label: string; whole: boolean }[];

export type LimitTexts = Record<keyof KeyLimitsBody, string>;

export function limitTexts(limits: KeyLimitsBody | null): LimitTexts {
  const texts = {} as LimitTexts;
  for (const { field } of LIMIT_FIELDS)
    texts[field] = limits?.[field] === undefined ? '' : String(limits[field]);
  return texts;
}

/**
 * The limits the texts give (empty = unlimited), or the first problem: a limit must be a positive
 * number, and a whole one for requests and tokens.
 */
export function parseLimitTexts(texts: LimitTexts): { limits: KeyLimitsBody } | { problem: string } {
  const limits: KeyLimitsBody = {};
  for (const { field, label, whole } of LIMIT_FIELDS) {
    const text = texts[field].trim();
    if (text === '') continue;
    const value = Number(text);
    if (!Number.isFinite(value) || value <= 0 || (whole && !Number.isInteger(value)))
      return {
        problem: `${label} must be a positive ${whole ? 'whole ' : ''}number, or empty for no limit.`,
      };
    limits[field] = value;
  }
  return { limits };
}

/** `10 rpm · 50k tokens/day · $5/month`; `No limits` when there are none. */
export function describeLimits(limits: KeyLimitsBody): string {
  const parts: string[] = [];
  if (limits.requests_per_minute !== undefined) parts.push(`${limits.requests_per_minute} rpm`);
  if (limits.tokens_per_minute !== undefined)
    parts.push(`${formatTokens(limits.tokens_per_minute)} tokens/min`);
  if (limits.tokens_per_day !== undefined) parts.push(`${formatTokens(limits.tokens_per_day)} tokens/day`);
  if (limits.tokens_per_month !== undefined)
    parts.push(`${formatTokens(limits.tokens_per_month)} tokens/month`);
  if (limits.cost_per_day !== undefined) parts.push(`$${limits.cost_per_day}/day`);
  if (limits.cost_per_month !== undefined) parts.push(`$${limits.cost_per_month}/month`);
  return parts.length === 0 ? 'No limits' : parts.join(' · ');
}

/** `$0.0123`, `$4.50`, `$1,234`: more digits for small amounts, always marked as an estimate by the caller. */
export function formatDollars(amount: number): string {
  if (amount === 0) return '$0';
  if (amount < 0.01) return `$${amount.toFixed(4)}`;
  if (amount < 1000) return `$${amount.toFixed(2)}`;
  return `$${Math.round(amount).toLocaleString('en-US')}`;
}
