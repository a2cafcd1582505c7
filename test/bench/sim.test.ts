import { describe, expect, it } from 'vitest';
import { EventQueue } from '../../bench/sim/event-queue.js';
import { Prng } from '../../bench/sim/prng.js';
import { capacityOf, defaultParameters, HOUR_MS, simulatedAccounts } from '../../bench/sim/sim-parameters.js';
import { SimulatedUpstream } from '../../bench/sim/simulated-upstream.js';
import { runSimulation } from '../../bench/sim/simulation.js';
import { switchyardPolicy } from '../../bench/sim/switchyard-policies.js';
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
  requestsPerMinute: number;
  quotaPerModel: number;
  minuteWindow: 'sliding' | 'fixed';
}) {
  const parameters = defaultParameters({
    startAt: START,
    serverErrorRate: 0,
    minuteWindow: options.minuteWindow,
  });
  const account = { ...simulatedAccounts(parameters)[0]!, ...options };
  return new SimulatedUpstream({ accounts: [account], parameters, random: new Prng(1) });
}

describe('SimulatedUpstream', () => {
  it('answers 429 with Retry-After once the per-minute limit is used, until the sliding window frees a slot', () => {
    const provider = upstream({ requestsPerMinute: 3, quotaPerModel: 100, minuteWindow: 'sliding' });
    const send = (offsetMs: number) =>
      provider.respond({ accountId: 'ultra-01', model: 'm', now: START + offsetMs });
    expect([send(0), send(10_000), send(20_000)].map((answer) => answer.status)).toEqual([200, 200, 200]);
    const refused = send(30_000);
    expect(refused).toMatchObject({ status: 429, refusal: 'minute-limit', headers: { 'retry-after': '30' } });
    expect(
      classifyFailure({ status: 429, headers: refused.headers, body: refused.body, now: START }),
    ).toMatchObject({
      reason: 'RateLimitExceeded',
      retryAfterMs: 30_000,
    });
    expect(send(60_000).status).toBe(200);
  });

  it('resets a fixed minute window at the next whole minute', () => {
    const provider = upstream({ requestsPerMinute: 1, quotaPerModel: 100, minuteWindow: 'fixed' });
    const send = (offsetMs: number) =>
      provider.respond({ accountId: 'ultra-01', model: 'm', now: START + offsetMs });
    expect(send(50_000).status).toBe(200);
    expect(send(55_000)).toMatchObject({ status: 429, headers: { 'retry-after': '5' } });
    expect(send(60_000).status).toBe(200);
  });

  it('reports the remaining quota in headers and answers insufficient_quota once it is used up, per model', () => {
    const provider = upstream({ requestsPerMinute: 100, quotaPerModel: 4, minuteWindow: 'sliding' });
    const send = (model: string) => provider.respond({ accountId: 'ultra-01', model, now: START + 1000 });
    const answers = [send('m'), send('m'), send('m')];
    const quota = parseQuotaHeaders({ provider: 'openai', headers: answers[2]!.headers, now: START + 1000 });
    expect(quota?.remainingFraction).toBe(0.25);
    expect(quota?.resetAt).toBe(START + 6 * HOUR_MS);
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

describe('runSimulation', () => {
  const tiny = (seed: number) =>
    defaultParameters({
      seed,
      durationMs: HOUR_MS,
      quotaPeriodMs: HOUR_MS / 2,
      turnsPerConversation: 5,
      tiers: {
        ULTRA: { count: 1, requestsPerMinute: 20, quotaPerModel: 120 },
        PRO: { count: 2, requestsPerMinute: 10, quotaPerModel: 60 },
        FREE: { count: 2, requestsPerMinute: 4, quotaPerModel: 30 },
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
