import { describe, expect, it } from 'vitest';
import { BASELINE_POLICIES } from '../../bench/sim/baselines.js';
import { EventQueue } from '../../bench/sim/event-queue.js';
import { Prng } from '../../bench/sim/prng.js';
import {
  capacityOf,
  defaultParameters,
  HOUR_MS,
  perWindowParameters,
  simulatedAccounts,
} from '../../bench/sim/sim-parameters.js';
import { SimulatedUpstream } from '../../bench/sim/simulated-upstream.js';
import { runSimulation } from '../../bench/sim/simulation.js';
import { previousRulesPolicy, switchyardPolicy } from '../../bench/sim/switchyard-policies.js';
import { generateWorkload } from '../../bench/sim/workload.js';
import { classifyFailure, parseQuotaHeaders } from '../../src/ratelimit/index.js';

const START = Date.UTC(2026, 0, 1);

function draws(random: Prng, count: number): number[] {
  return Array.from({ length: count }, () => random.next());
}

describe('Prng', () => {
  it('gives the same sequence for the same seed and another one for another seed', () => {
    expect(draws(new Prng(42), 5)).toEqual(draws(new Prng(42), 5));
    expect(draws(new Prng(42), 5)).not.toEqual(draws(new Prng(43), 5));
    expect(draws(Prng.derive(42, 1), 5)).not.toEqual(draws(Prng.derive(42, 2), 5));
  });

  it('draws uniform numbers in [0, 1) with the expected mean', () => {
    const values = draws(new Prng(7), 20_000);
    expect(values.every((value) => value >= 0 && value < 1)).toBe(true);
    expect(values.reduce((sum, value) => sum + value, 0) / values.length).toBeCloseTo(0.5, 1);
  });
});

describe('EventQueue', () => {
  it('pops events by time, and events at the same time in insertion order', () => {
    const queue = new EventQueue();
    const order: string[] = [];
    for (const [at, name] of [
      [30, 'c'],
      [10, 'a1'],
      [20, 'b'],
      [10, 'a2'],
    ] as const) {
      queue.push({ at, run: () => void order.push(name) });
    }
    for (let event = queue.pop(); event !== undefined; event = queue.pop()) event.run();
    expect(order).toEqual(['a1', 'a2', 'b', 'c']);
  });
});

function upstream(options: {
  requestsPerWindow: number;
  quotaPerModel: number;
  windowKind: 'sliding' | 'fixed';
  rateLimitHeaders?: 'quota' | 'window';
  limitWindowMs?: number;
}) {
  const parameters = defaultParameters({
    startAt: START,
    serverErrorRate: 0,
    windowKind: options.windowKind,
    rateLimitHeaders: options.rateLimitHeaders ?? 'quota',
    limitWindowMs: options.limitWindowMs ?? 60_000,
    latency: { minimumMs: 1_000, meanExtraMs: 0 },
  });
  const { requestsPerWindow, quotaPerModel } = options;
  const account = { ...simulatedAccounts(parameters)[0]!, requestsPerWindow, quotaPerModel };
  return new SimulatedUpstream({ accounts: [account], parameters, random: new Prng(1) });
}

describe('SimulatedUpstream', () => {
  it('answers 429 with Retry-After once the per-minute limit is used, until the sliding window frees a slot', () => {
    const provider = upstream({ requestsPerWindow: 3, quotaPerModel: 100, windowKind: 'sliding' });
    const send = (offsetMs: number) =>
      provider.respond({ accountId: 'ultra-01', model: 'm', now: START + offsetMs });
    expect([send(0), send(10_000), send(20_000)].map((answer) => answer.status)).toEqual([200, 200, 200]);
    const refused = send(30_000);
    // 30 s until a slot frees, counted from the answer 200 ms later: 29.8 s, stated in whole seconds.
    expect(refused).toMatchObject({ status: 429, refusal: 'minute-limit', headers: { 'retry-after': '30' } });
    expect(refused.announces).toEqual({ scope: 'account', until: START + 30_200 + 30_000 });
    expect(
      classifyFailure({ status: 429, headers: refused.headers, body: refused.body, now: START }),
    ).toMatchObject({
      reason: 'RateLimitExceeded',
      retryAfterMs: 30_000,
    });
    expect(send(60_000).status).toBe(200);
  });

  it('resets a fixed minute window at the next whole minute', () => {
    const provider = upstream({ requestsPerWindow: 1, quotaPerModel: 100, windowKind: 'fixed' });
    const send = (offsetMs: number) =>
      provider.respond({ accountId: 'ultra-01', model: 'm', now: START + offsetMs });
    expect(send(50_000).status).toBe(200);
    expect(send(55_000)).toMatchObject({ status: 429, headers: { 'retry-after': '5' } });
    expect(send(60_000).status).toBe(200);
  });

  it('reports the remaining quota in headers and answers insufficient_quota once it is used up, per model', () => {
    const provider = upstream({ requestsPerWindow: 100, quotaPerModel: 4, windowKind: 'sliding' });
    const send = (model: string) => provider.respond({ accountId: 'ultra-01', model, now: START + 1000 });
    const answers = [send('m'), send('m'), send('m')];
    const quota = parseQuotaHeaders({ family: 'openai', headers: answers[2]!.headers, now: START + 1000 });
    expect(quota?.remainingFraction).toBe(0.25);
    // The reset is stated from the answer, a second after the call.
    expect(quota?.resetAt).toBe(START + 6 * HOUR_MS - 1_000);
    send('m');
    const exhausted = send('m');
    expect(exhausted).toMatchObject({ status: 429, refusal: 'quota' });
    expect(
      classifyFailure({ status: 429, headers: exhausted.headers, body: exhausted.body, now: START }).reason,
    ).toBe('QuotaExhausted');
    expect(send('other').status).toBe(200);
    expect(provider.respond({ accountId: 'ultra-01', model: 'm', now: START + 6 * HOUR_MS }).status).toBe(
      200,
    );
  });
});

describe('SimulatedUpstream with window headers', () => {
  it('states the window in the headers and announces it once nothing is left', () => {
    const provider = upstream({
      requestsPerWindow: 2,
      quotaPerModel: 100,
      windowKind: 'sliding',
      rateLimitHeaders: 'window',
      limitWindowMs: 5_000,
    });
    const send = (offsetMs: number) =>
      provider.respond({ accountId: 'ultra-01', model: 'm', now: START + offsetMs });
    const first = send(0);
    expect(first.headers).toMatchObject({
      'x-ratelimit-limit-requests': '2',
      'x-ratelimit-remaining-requests': '1',
    });
    expect(first.announces).toBeNull();
    const last = send(500);
    expect(last.headers).toMatchObject({
      'x-ratelimit-remaining-requests': '0',
      'x-ratelimit-reset-requests': '4s',
    });
    expect(last.announces).toEqual({ scope: 'account', until: START + 5_500 });
    const refused = send(1_000);
    expect(refused).toMatchObject({
      status: 429,
      headers: { 'retry-after': '4', 'x-ratelimit-remaining-requests': '0' },
    });
    expect(send(5_000).status).toBe(200);
  });
});

describe('runSimulation, per-window scenario', () => {
  const tiny = () =>
    perWindowParameters({
      durationMs: 3 * 60_000,
      tiers: {
        ULTRA: { count: 0, requestsPerWindow: 1, quotaPerModel: 1 },
        PRO: { count: 3, requestsPerWindow: 4, quotaPerModel: 1_000_000 },
        FREE: { count: 0, requestsPerWindow: 1, quotaPerModel: 1 },
      },
      limitWindowMs: 2_000,
      latency: { minimumMs: 100, meanExtraMs: 200 },
      meanThinkMs: 2_000,
    });
  const run = (policy: Parameters<typeof runSimulation>[0]['policy']) => {
    const parameters = tiny();
    return runSimulation({
      parameters,
      workload: generateWorkload(parameters, capacityOf(parameters)),
      policy,
    });
  };

  it('counts repeat 429s under the previous rules, and none for Switchyard in any mode', async () => {
    const previous = await run(
      previousRulesPolicy({ mode: 'Balance', protectionPercentage: null, name: 'previous' }),
    );
    expect(previous.repeat429PerThousand).toBeGreaterThan(0);
    const naive = await run(BASELINE_POLICIES.find((policy) => policy.name === 'naive-rotation')!);
    for (const mode of ['Balance', 'CacheFirst', 'PerformanceFirst'] as const) {
      const metrics = await run(switchyardPolicy({ mode, protectionPercentage: null }));
      expect(metrics.requests).toBeGreaterThan(100);
      expect(metrics.repeat429PerThousand).toBe(0);
      expect(metrics.sendsInsideAnnouncedWindows).toBe(0);
      // No more upstream 429s than a client rotating keys by itself on the same workload.
      expect(metrics.upstream429PerThousand).toBeLessThanOrEqual(naive.upstream429PerThousand);
    }
  });

  it('lets the naive key-rotating client send into announced windows: it locks nothing', async () => {
    const naive = BASELINE_POLICIES.find((policy) => policy.name === 'naive-rotation')!;
    const metrics = await run(naive);
    expect(metrics.waitsPerThousand).toBe(0);
    expect(metrics.sendsInsideAnnouncedWindows).toBeGreaterThan(0);
  });
});

describe('runSimulation', () => {
  const tiny = (seed: number) =>
    defaultParameters({
      seed,
      durationMs: HOUR_MS,
      quotaPeriodMs: HOUR_MS / 2,
      turnsPerConversation: 5,
      tiers: {
        ULTRA: { count: 1, requestsPerWindow: 20, quotaPerModel: 120 },
        PRO: { count: 2, requestsPerWindow: 10, quotaPerModel: 60 },
        FREE: { count: 2, requestsPerWindow: 4, quotaPerModel: 30 },
      },
    });
  const run = (seed: number) => {
    const parameters = tiny(seed);
    const workload = generateWorkload(parameters, capacityOf(parameters));
    return runSimulation({
      parameters,
      workload,
      policy: switchyardPolicy({ mode: 'Balance', protectionPercentage: 2 }),
    });
  };

  it('gives the same numbers for the same seed, and other numbers for another seed', async () => {
    const first = await run(11);
    expect(first.requests).toBeGreaterThan(100);
    expect(await run(11)).toEqual(first);
    expect(await run(12)).not.toEqual(first);
  });

  it('never lets the scheduler pick an account that is locked for the model', async () => {
    const metrics = await run(11);
    expect(metrics.upstream429PerThousand).toBeGreaterThan(0);
    expect(metrics.lockedSendsByPath.picked).toBe(0);
  });
});
