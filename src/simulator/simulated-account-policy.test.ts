import { describe, expect, it } from 'vitest';
import { FakeClock } from '../core/clock.js';
import { type PolicyDecision, SimulatedAccountPolicy } from './simulated-account-policy.js';

function decisions(policy: SimulatedAccountPolicy, clock: FakeClock, count: number): PolicyDecision[] {
  return Array.from({ length: count }, () => policy.decide(clock.now()));
}

describe('SimulatedAccountPolicy: the per-minute window', () => {
  it('answers up to the limit, advertising what remains, then refuses with 429', async () => {
    const clock = new FakeClock();
    const policy = new SimulatedAccountPolicy({ tier: 'FREE', requestsPerMinute: 3 });
    const answers = [];
    for (let index = 0; index < 3; index++) {
      answers.push(policy.decide(clock.now()));
      await clock.advance(1000);
    }
    expect(answers).toEqual([
      { kind: 'answer', limit: 3, remaining: 2, resetSeconds: 60 },
      { kind: 'answer', limit: 3, remaining: 1, resetSeconds: 60 },
      { kind: 'answer', limit: 3, remaining: 0, resetSeconds: 60 },
    ]);
    // Now = start + 3 s; the oldest answer (at start) leaves the window at start + 60 s.
    expect(policy.decide(clock.now())).toEqual({ kind: 'rate-limited', limit: 3, retryAfterSeconds: 57 });
  });

  it('counts Retry-After down as time passes and answers again once the oldest request leaves the window', async () => {
    const clock = new FakeClock();
    const policy = new SimulatedAccountPolicy({ tier: 'PRO', requestsPerMinute: 2 });
    decisions(policy, clock, 2);
    await clock.advance(59_500);
    // Half a second left: rounded up, never 0 (a client would retry at once).
    expect(policy.decide(clock.now())).toMatchObject({ kind: 'rate-limited', retryAfterSeconds: 1 });
    await clock.advance(500);
    // Both earlier answers left the window together.
    expect(policy.decide(clock.now())).toMatchObject({ kind: 'answer', remaining: 1 });
    expect(policy.decide(clock.now())).toMatchObject({ kind: 'answer', remaining: 0 });
    expect(policy.decide(clock.now())).toMatchObject({ kind: 'rate-limited', retryAfterSeconds: 60 });
  });

  it('is a sliding window: requests free up one by one, not all at a minute boundary', async () => {
    const clock = new FakeClock();
    const policy = new SimulatedAccountPolicy({ tier: 'FREE', requestsPerMinute: 2 });
    policy.decide(clock.now());
    await clock.advance(30_000);
    policy.decide(clock.now());
    await clock.advance(30_000);
    expect(policy.used(clock.now())).toBe(1);
    expect(policy.decide(clock.now())).toMatchObject({ kind: 'answer' });
    expect(policy.decide(clock.now())).toEqual({ kind: 'rate-limited', limit: 2, retryAfterSeconds: 30 });
  });

  it('does not count refused requests against the window', async () => {
    const clock = new FakeClock();
    const policy = new SimulatedAccountPolicy({ tier: 'FREE', requestsPerMinute: 1 });
    policy.decide(clock.now());
    decisions(policy, clock, 10);
    await clock.advance(60_000);
    expect(policy.decide(clock.now())).toMatchObject({ kind: 'answer' });
  });

  it('honours a custom window length', async () => {
    const clock = new FakeClock();
    const policy = new SimulatedAccountPolicy({ tier: 'ULTRA', requestsPerMinute: 1, windowMs: 10_000 });
    policy.decide(clock.now());
    expect(policy.decide(clock.now())).toMatchObject({ kind: 'rate-limited', retryAfterSeconds: 10 });
    await clock.advance(10_000);
    expect(policy.decide(clock.now())).toMatchObject({ kind: 'answer', resetSeconds: 10 });
  });
});

describe('SimulatedAccountPolicy: failures', () => {
  const run = (seed: number) => {
    const clock = new FakeClock();
    const policy = new SimulatedAccountPolicy({
      tier: 'FREE',
      requestsPerMinute: 1000,
      failureRate: 0.1,
      seed,
    });
    return decisions(policy, clock, 400).map((decision) =>
      decision.kind === 'server-error' ? decision.status : decision.kind,
    );
  };

  it('is reproducible: the same seed fails the same requests', () => {
    expect(run(42)).toEqual(run(42));
  });

  it('depends on the seed', () => {
    expect(run(42)).not.toEqual(run(43));
  });

  it('fails about the configured share of requests, with both 500 and 503', () => {
    const outcomes = run(7);
    const failures = outcomes.filter((outcome) => outcome !== 'answer');
    expect(failures.length).toBeGreaterThan(400 * 0.05);
    expect(failures.length).toBeLessThan(400 * 0.15);
    expect(new Set(failures)).toEqual(new Set([500, 503]));
  });

  it('never fails without a failure rate', () => {
    const clock = new FakeClock();
    const policy = new SimulatedAccountPolicy({ tier: 'PRO', requestsPerMinute: 1000 });
    expect(decisions(policy, clock, 500).every((decision) => decision.kind === 'answer')).toBe(true);
  });

  it('does not count failed requests against the window', () => {
    const clock = new FakeClock();
    const policy = new SimulatedAccountPolicy({ tier: 'FREE', requestsPerMinute: 2, failureRate: 1 });
    decisions(policy, clock, 5);
    expect(policy.used(clock.now())).toBe(0);
  });

  it('refuses a full window with 429 even when the draw would fail the request', () => {
    const clock = new FakeClock();
    const policy = new SimulatedAccountPolicy({ tier: 'FREE', requestsPerMinute: 1, failureRate: 0 });
    policy.decide(clock.now());
    expect(policy.decide(clock.now()).kind).toBe('rate-limited');
  });

  it.each([
    [{ requestsPerMinute: 0 }, /requestsPerMinute/],
    [{ requestsPerMinute: 1.5 }, /requestsPerMinute/],
    [{ requestsPerMinute: 5, failureRate: 1.2 }, /failureRate/],
    [{ requestsPerMinute: 5, failureRate: -0.1 }, /failureRate/],
  ])('rejects invalid options %j', (options, message) => {
    expect(() => new SimulatedAccountPolicy({ tier: 'FREE', ...options })).toThrow(message);
  });
});
