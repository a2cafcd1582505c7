/** The Monitor dashboard's numbers, computed from the request log entries the page holds. */
import type { RequestLogRecord } from '../api/types.js';
import { isErrorRecord } from './log-filter.js';

/** One minute of traffic, for the requests-per-minute chart. */
export interface MinuteBucket {
  /** Epoch ms of the minute's start. */
  minute: number;
  ok: number;
  errors: number;
}

/** One account's part of the traffic in the window. */
export interface AccountShare {
  account: string;
  requests: number;
  /** Share of all requests in the window, 0..1. */
  requestShare: number;
  cacheReadTokens: number;
  /** Share of all cache-read tokens in the window, 0..1 (0 when there were none). */
  cacheShare: number;
}

export interface TrafficStats {
  /** Requests in the window. */
  total: number;
  /** Requests that started in the last 60 seconds. */
  requestsLastMinute: number;
  /** Share of requests in the window that succeeded, 0..1; null when there were none. */
  successRate: number | null;
  /** Oldest minute first, one bucket per minute of the window, empty minutes included. */
  perMinute: MinuteBucket[];
  /** Busiest account first. */
  accounts: AccountShare[];
}

const MINUTE_MS = 60_000;

/**
 * Stats over the entries of the last `windowMinutes` minutes before `now`. Entry times come from
 * the gateway's clock and `now` from the browser's: an entry newer than `now` (a clock ahead of the
 * browser's, or a request that finished since the browser's last tick) moves the window's end to it.
 */
export function trafficStats(options: {
  records: readonly RequestLogRecord[];
  now: number;
  windowMinutes: number;
}): TrafficStats {
  const { windowMinutes } = options;
  const now = options.records.reduce((latest, record) => Math.max(latest, record.time), options.now);
  const firstMinute = Math.floor(now / MINUTE_MS) * MINUTE_MS - (windowMinutes - 1) * MINUTE_MS;
  const records = options.records.filter((record) => record.time >= firstMinute);
  const perMinute: MinuteBucket[] = Array.from({ length: windowMinutes }, (_, index) => ({
    minute: firstMinute + index * MINUTE_MS,
    ok: 0,
    errors: 0,
  }));
  for (const record of records) {
    const bucket = perMinute[Math.floor((record.time - firstMinute) / MINUTE_MS)];
    if (!bucket) continue;
    if (isErrorRecord(record)) bucket.errors += 1;
    else bucket.ok += 1;
  }
  const failures = records.filter(isErrorRecord).length;
  return {
    total: records.length,
    requestsLastMinute: records.filter((record) => record.time > now - MINUTE_MS).length,
    successRate: records.length === 0 ? null : (records.length - failures) / records.length,
    perMinute,
    accounts: accountShares(records),
  };
}

function accountShares(records: readonly RequestLogRecord[]): AccountShare[] {
  const byAccount = new Map<string, { requests: number; cacheReadTokens: number }>();
  for (const record of records) {
    const account = record.account_email ?? '(none)';
    const entry = byAccount.get(account) ?? { requests: 0, cacheReadTokens: 0 };
    entry.requests += 1;
    entry.cacheReadTokens += record.cache_read_tokens ?? 0;
    byAccount.set(account, entry);
  }
  const totalCache = [...byAccount.values()].reduce((sum, entry) => sum + entry.cacheReadTokens, 0);
  return [...byAccount.entries()]
    .map(([account, entry]) => ({
      account,
      requests: entry.requests,
      requestShare: entry.requests / records.length,
      cacheReadTokens: entry.cacheReadTokens,
      cacheShare: totalCache === 0 ? 0 : entry.cacheReadTokens / totalCache,
    }))
    .sort((a, b) => b.requests - a.requests || a.account.localeCompare(b.account));
}
