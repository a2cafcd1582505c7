import { describe, expect, it } from 'vitest';
import { FakeClock } from '../core/clock.js';
import type { RateLimitLock } from '../core/limits.js';
import { quotaOf, testAccount } from '../scheduler/test-account.js';
import {
  type PlanWarmupsInput,
  planWarmups,
  type WarmupRecord,
  warmupKey,
  warmupPhase,
  warmupWindow,
} from './plan-warmups.js';

const HOUR = 60 * 60 * 1000;
const noProtection = { enabled: false, thresholdPercentage: 10, monitoredModels: [] };

function input(overrides: Partial<PlanWarmupsInput> & { now: number }): PlanWarmupsInput {
  return {
    schedule: { enabled: true, intervalMs: HOUR, models: ['gpt-5-mini'] },
    accounts: [testAccount('a'), testAccount('b')],
    last: new Map(),
    inFlight: new Set(),
    locks: [],
    protection: noProtection,
    ...overrides,
  };
}

/** Plays the runner: every `stepMs` until `untilMs`, sends what is due and records it as done. */
async function simulate(options: { clock: FakeClock; stepMs: number; untilMs: number }) {
  const sent: Array<{ accountId: string; at: number }> = [];
  const last = new Map<string, WarmupRecord>();
  const end = options.clock.now() + options.untilMs;
  while (options.clock.now() < end) {
    const now = options.clock.now();
    for (const target of planWarmups(input({ now, last }))) {
      if (target.state !== 'due') continue;
      sent.push({ accountId: target.accountId, at: now });
      last.set(warmupKey(target.accountId, target.model), { at: now, result: 'ok', error: null });
    }
    await options.clock.advance(options.stepMs);
  }
  return sent;
}

function lock(overrides: Partial<RateLimitLock>): RateLimitLock {
  return {
    accountId: 'a',
    scope: 'account',
    model: null,
    reason: 'RateLimitExceeded',
    source: 'retry-after',
    until: 0,
    detectedAt: 0,
    message: null,
    ...overrides,
  };
}

describe('planWarmups', () => {
  it('plans nothing while the schedule is off', () => {
    const plan = planWarmups(
      input({ now: 0, schedule: { enabled: false, intervalMs: HOUR, models: ['gpt-5-mini'] } }),
    );
    expect(plan).toEqual([]);
  });

  it('warms each account once per window over a day of ticks, the accounts at different times', async () => {
    const clock = new FakeClock();
    const sent = await simulate({ clock, stepMs: 30_000, untilMs: 24 * HOUR });
    for (const id of ['a', 'b']) {
      const times = sent.filter((entry) => entry.accountId === id).map((entry) => entry.at);
      // The first right away (its current window), then one per hour: 24 windows begin in 24 hours.
      expect(times.length).toBe(25);
      const gaps = times.slice(2).map((at, index) => at - (times[index + 1] ?? 0));
      expect(new Set(gaps)).toEqual(new Set([HOUR]));
    }
    const second = (id: string) => sent.filter((entry) => entry.accountId === id)[1]?.at;
    expect(second('a')).not.toBe(second('b'));
  });

  it('gives every account and model its own phase inside the interval', () => {
    const phases = ['a', 'b', 'c', 'd'].map((id) => warmupPhase(id, 'gpt-5-mini', HOUR));
    expect(new Set(phases).size).toBe(4);
    for (const phase of phases) expect(phase).toBeGreaterThanOrEqual(0);
    for (const phase of phases) expect(phase).toBeLessThan(HOUR);
  });

  it('is done for an account warmed in the current window, and names the next window', () => {
    const now = 10 * HOUR;
    const { window, start } = warmupWindow({ accountId: 'a', model: 'gpt-5-mini', intervalMs: HOUR, now });
    const last = new Map([
      [warmupKey('a', 'gpt-5-mini'), { at: now, window, result: 'error' as const, error: 'x' }],
    ]);
    const [a, b] = planWarmups(input({ now, last }));
    expect(a).toMatchObject({ state: 'done', nextDueAt: start + HOUR });
    expect(b).toMatchObject({ state: 'due', nextDueAt: now });
  });

  it('judges "done" by time, so a longer interval set later never holds a warmup back past its window', () => {
    const now = 1000 * HOUR;
    const last = new Map([[warmupKey('a', 'gpt-5-mini'), { at: now, result: 'ok' as const, error: null }]]);
    const schedule = { enabled: true, intervalMs: 5 * HOUR, models: ['gpt-5-mini'] };
    const accounts = [testAccount('a')];
    expect(planWarmups(input({ now, last, schedule, accounts }))[0]?.state).toBe('done');
    expect(planWarmups(input({ now: now + 5 * HOUR, last, schedule, accounts }))[0]?.state).toBe('due');
  });

  it('skips disabled, proxy-disabled, rate-limited and quota-protected accounts', () => {
    const now = 5 * HOUR;
    const plan = planWarmups(
      input({
        now,
        accounts: [
          testAccount('off', { disabled: true }),
          testAccount('proxy-off', { proxyDisabled: true }),
          testAccount('a'),
          testAccount('model-locked'),
          testAccount('low', { quota: quotaOf('gpt-5-mini', 0.01) }),
          testAccount('expired-lock'),
        ],
        locks: [
          lock({ accountId: 'a', until: now + 1000 }),
          lock({ accountId: 'model-locked', scope: 'model', model: 'gpt-5-mini', until: now + 2000 }),
          lock({ accountId: 'expired-lock', until: now }),
        ],
        protection: { enabled: true, thresholdPercentage: 10, monitoredModels: [] },
      }),
    );
    expect(plan.map((target) => [target.accountId, target.state, target.nextDueAt])).toEqual([
      ['off', 'skipped', null],
      ['proxy-off', 'skipped', null],
      ['a', 'skipped', now + 1000],
      ['model-locked', 'skipped', now + 2000],
      ['low', 'skipped', null],
      ['expired-lock', 'due', now],
    ]);
    expect(plan[2]?.reason).toContain('rate-limited');
  });

  it('judges a model lock by the upstream model the requested one maps to', () => {
    const plan = planWarmups(
      input({
        now: 0,
        accounts: [testAccount('a')],
        locks: [lock({ scope: 'model', model: 'mapped', until: 1000 })],
        upstreamModel: () => 'mapped',
      }),
    );
    expect(plan[0]?.state).toBe('skipped');
  });

  it('never has two warmups of one account due at once, nor one while another is in flight', () => {
    const models = ['gpt-5-mini', 'gpt-5'];
    const schedule = { enabled: true, intervalMs: HOUR, models };
    const first = planWarmups(input({ now: 0, schedule, accounts: [testAccount('a')] }));
    expect(first.map((target) => target.state)).toEqual(['due', 'waiting']);
    const busy = planWarmups(
      input({ now: 0, schedule, accounts: [testAccount('a')], inFlight: new Set(['a']) }),
    );
    expect(busy.map((target) => target.state)).toEqual(['waiting', 'waiting']);
  });

  it('warms, with no models configured, the provider small model or the first model the account names', () => {
    const schedule = { enabled: true, intervalMs: HOUR, models: [] };
    const plan = planWarmups(
      input({
        now: 0,
        schedule,
        accounts: [
          testAccount('any', { provider: 'anthropic' }),
          testAccount('named', { provider: 'openai', models: ['gpt-4*', 'gpt-4o'] }),
          testAccount('wild', { provider: 'openai', models: ['o*'] }),
        ],
      }),
    );
    expect(plan.map((target) => [target.accountId, target.model])).toEqual([
      ['any', 'claude-haiku-4-5'],
      ['named', 'gpt-4o'],
    ]);
  });

  it('warms only the configured models an account serves', () => {
    const schedule = { enabled: true, intervalMs: HOUR, models: ['claude-haiku-4-5', 'gpt-5-mini'] };
    const accounts = [testAccount('a', { models: ['gpt-*'] })];
    const plan = planWarmups(input({ now: 0, schedule, accounts }));
    expect(plan.map((target) => target.model)).toEqual(['gpt-5-mini']);
  });
});
