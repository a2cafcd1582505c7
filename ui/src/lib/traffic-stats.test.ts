import { describe, expect, it } from 'vitest';
import { SAMPLE_NOW, sampleLog } from './sample-records.js';
import { trafficStats } from './traffic-stats.js';

const MINUTE = 60_000;
// SAMPLE_NOW is 12:00:00 exactly; move it into the minute so "last 60 s" and "this minute" differ.
const now = SAMPLE_NOW + 30_000;

describe('trafficStats', () => {
  const records = [
    sampleLog({ id: '1', time: now - 10_000, account_email: 'a@x', cache_read_tokens: 300 }),
    sampleLog({ id: '2', time: now - 50_000, account_email: 'b@x', cache_read_tokens: 100 }),
    sampleLog({
      id: '3',
      time: now - 70_000,
      account_email: 'a@x',
      status: 429,
      error: 'limited',
      cache_read_tokens: null,
    }),
    sampleLog({ id: '4', time: now - 4 * MINUTE, account_email: 'a@x', cache_read_tokens: 0 }),
    sampleLog({ id: 'old', time: now - 20 * MINUTE, account_email: 'c@x', cache_read_tokens: 10_000 }),
  ];
  const stats = trafficStats({ records, now, windowMinutes: 15 });

  it('counts the requests of the last 60 seconds as requests per minute', () => {
    expect(stats.requestsLastMinute).toBe(2);
  });

  it('leaves entries older than the window out of every number', () => {
    expect(stats.total).toBe(4);
    expect(stats.accounts.map((share) => share.account)).not.toContain('c@x');
  });

  it('computes the success rate over the window', () => {
    expect(stats.successRate).toBe(0.75);
    expect(trafficStats({ records: [], now, windowMinutes: 15 }).successRate).toBeNull();
  });

  it('has one bucket per minute, oldest first, with ok and error counts', () => {
    expect(stats.perMinute).toHaveLength(15);
    expect(stats.perMinute.at(-1)).toEqual({ minute: SAMPLE_NOW, ok: 1, errors: 0 });
    expect(stats.perMinute.at(-2)).toEqual({ minute: SAMPLE_NOW - MINUTE, ok: 1, errors: 1 });
    expect(stats.perMinute.at(-5)).toEqual({ minute: SAMPLE_NOW - 4 * MINUTE, ok: 1, errors: 0 });
    expect(stats.perMinute.reduce((sum, bucket) => sum + bucket.ok + bucket.errors, 0)).toBe(4);
  });

  it('shares traffic and cache-read tokens per account, busiest first', () => {
    expect(stats.accounts).toEqual([
      { account: 'a@x', requests: 3, requestShare: 0.75, cacheReadTokens: 300, cacheShare: 0.75 },
      { account: 'b@x', requests: 1, requestShare: 0.25, cacheReadTokens: 100, cacheShare: 0.25 },
    ]);
  });

  it("counts an entry stamped after the browser's now (clock skew) in the current minute", () => {
    const skewed = trafficStats({ records: [sampleLog({ time: now + 40_000 })], now, windowMinutes: 15 });
    expect([skewed.total, skewed.requestsLastMinute]).toEqual([1, 1]);
    expect(skewed.perMinute.at(-1)).toEqual({ minute: SAMPLE_NOW + MINUTE, ok: 1, errors: 0 });
  });

  it('reports a zero cache share, not NaN, when no tokens were read from cache', () => {
    const none = trafficStats({
      records: [sampleLog({ time: now - 1000, cache_read_tokens: 0 })],
      now,
      windowMinutes: 5,
    });
    expect(none.accounts[0]?.cacheShare).toBe(0);
  });
});
