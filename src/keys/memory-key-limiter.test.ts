import { describe, expect, it } from 'vitest';
import { MemoryKeyLimiter } from './memory-key-limiter.js';

const T0 = Date.UTC(2026, 4, 31, 23, 59, 0, 250);
const key = (limits: Record<string, number>) => ({ id: 'k', limits });

describe('MemoryKeyLimiter', () => {
  it('admits requests up to the per-minute limit, then says when the oldest leaves the window', async () => {
    const limiter = new MemoryKeyLimiter();
    const limited = key({ requestsPerMinute: 2 });

    expect(await limiter.admit(limited, T0)).toBeNull();
    expect(await limiter.admit(limited, T0 + 10_000)).toBeNull();
    const refusal = await limiter.admit(limited, T0 + 20_000);

    // The first request's second (T0, rounded down) leaves the window 60 s after it began.
    expect(refusal).toEqual({ limit: 'requestsPerMinute', allowed: 2, used: 2, retryAfterMs: 39_750 });
    expect(await limiter.admit(limited, T0 + 20_000 + 39_749)).not.toBeNull();
    expect(await limiter.admit(limited, T0 + 20_000 + 39_750)).toBeNull();
  });

  it('does not count refused requests against the per-minute limit', async () => {
    const limiter = new MemoryKeyLimiter();
    const limited = key({ requestsPerMinute: 1 });

    await limiter.admit(limited, T0);
    for (let attempt = 0; attempt < 5; attempt++) await limiter.admit(limited, T0 + 1000 + attempt);

    expect((await limiter.usage('k', T0 + 2000)).requestsLastMinute).toBe(1);
  });

  it('refuses once the tokens of the last minute reach the limit, until enough of them age out', async () => {
    const limiter = new MemoryKeyLimiter();
    const limited = key({ tokensPerMinute: 1000 });
    await limiter.charge('k', { tokens: 600, cost: 0 }, T0);
    await limiter.charge('k', { tokens: 600, cost: 0 }, T0 + 30_000);

    const refusal = await limiter.admit(limited, T0 + 40_000);

    expect(refusal).toMatchObject({ limit: 'tokensPerMinute', used: 1200, retryAfterMs: 19_750 });
    expect(await limiter.admit(limited, T0 + 59_750)).toBeNull();
  });

  it('refuses over a daily token or cost budget until the next UTC midnight, and starts over then', async () => {
    const limiter = new MemoryKeyLimiter();
    await limiter.charge('k', { tokens: 5000, cost: 0.5 }, T0);

    const byTokens = await limiter.admit(key({ tokensPerDay: 5000 }), T0 + 1000);
    const byCost = await limiter.admit(key({ costPerDay: 0.5 }), T0 + 1000);
    const nextDay = await limiter.admit(key({ tokensPerDay: 5000, costPerDay: 0.5 }), Date.UTC(2026, 5, 1));

    expect(byTokens).toMatchObject({
      limit: 'tokensPerDay',
      allowed: 5000,
      used: 5000,
      retryAfterMs: 58_750,
    });
    expect(byCost).toMatchObject({ limit: 'costPerDay', retryAfterMs: 58_750 });
    expect(nextDay).toBeNull();
  });

  it('refuses over a monthly budget until the first of the next UTC month', async () => {
    const limiter = new MemoryKeyLimiter();
    const midMonth = Date.UTC(2026, 1, 10, 12);
    await limiter.charge('k', { tokens: 100, cost: 3 }, Date.UTC(2026, 1, 2));

    const refusal = await limiter.admit(key({ costPerMonth: 3, tokensPerMonth: 1000 }), midMonth);

    expect(refusal).toMatchObject({ limit: 'costPerMonth', retryAfterMs: Date.UTC(2026, 2, 1) - midMonth });
    expect(await limiter.admit(key({ costPerMonth: 3 }), Date.UTC(2026, 2, 1))).toBeNull();
  });

  it('starts from seeded day and month totals (usage stored before a restart)', async () => {
    const limiter = new MemoryKeyLimiter();
    await limiter.seed('k', {
      dayStart: Date.UTC(2026, 4, 31),
      monthStart: Date.UTC(2026, 4, 1),
      tokensToday: 700,
      costToday: 0.1,
      tokensThisMonth: 9000,
      costThisMonth: 2,
    });

    expect(await limiter.admit(key({ tokensPerDay: 700 }), T0)).toMatchObject({
      limit: 'tokensPerDay',
      used: 700,
    });
    expect(await limiter.usage('k', T0)).toEqual({
      requestsLastMinute: 0,
      tokensLastMinute: 0,
      tokensToday: 700,
      costToday: 0.1,
      tokensThisMonth: 9000,
      costThisMonth: 2,
    });
  });
});
