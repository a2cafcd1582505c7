import { describe, expect, it } from 'vitest';
import { FakeClock } from '../core/clock.js';
import { isSwitchyardError } from '../core/errors.js';
import { StoreHealth } from './store-health.js';

const refused = () =>
  Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5999'), { code: 'ECONNREFUSED' });

/** A health monitor whose probe answers while `answering.value` is true, counting its probes. */
function monitor() {
  const clock = new FakeClock();
  const answering = { value: true, probes: 0 };
  const health = new StoreHealth({
    backend: 'postgres',
    location: 'postgres://app:***@db.internal:5432/switchyard',
    clock,
    retryIntervalMs: 1000,
    probe: async () => {
      answering.probes += 1;
      if (!answering.value) throw refused();
    },
  });
  health.start();
  return { clock, answering, health };
}

describe('StoreHealth', () => {
  it('goes down on a failure that says the store does not answer, and not on one it refused', () => {
    const { health } = monitor();

    expect(health.reportFailure(Object.assign(new Error('duplicate key'), { code: '23505' }))).toBe(false);
    expect(health.status().degraded).toBe(false);
    expect(health.reportFailure(refused())).toBe(true);

    expect(health.writable).toBe(false);
    expect(health.status()).toMatchObject({
      degraded: true,
      reason: expect.stringContaining('ECONNREFUSED'),
    });
  });

  it('probes while down and comes back once a probe answers, telling the listeners once', async () => {
    const { clock, answering, health } = monitor();
    const changes: boolean[] = [];
    let available = 0;
    health.subscribe((status) => changes.push(status.degraded));
    health.onAvailable(() => {
      available += 1;
    });
    answering.value = false;
    health.reportFailure(refused());

    await clock.advance(3000);
    expect(health.status().degraded).toBe(true);
    answering.value = true;
    await clock.advance(1000);
    await clock.advance(1000);

    expect(health.status().degraded).toBe(false);
    expect(changes).toEqual([true, false]);
    expect(available).toBe(1);
    const probesWhenUp = answering.probes;
    await clock.advance(10_000);
    expect(answering.probes).toBe(probesWhenUp);
  });

  it('refuses a guarded operation with store_unavailable (503) naming the store, without running it', async () => {
    const { health, answering } = monitor();
    answering.value = false;
    health.reportFailure(refused());
    let ran = 0;

    const outcome = await health
      .guard(async () => {
        ran += 1;
      })
      .catch((error: unknown) => error);

    expect(ran).toBe(0);
    expect(isSwitchyardError(outcome) && outcome.code).toBe('store_unavailable');
    expect(isSwitchyardError(outcome) && outcome.status).toBe(503);
    expect((outcome as Error).message).toContain('db.internal:5432');
    expect((outcome as Error).message).not.toContain('secret');
  });

  it('turns an operation that meets an unreachable store into store_unavailable and marks it down', async () => {
    const { health } = monitor();

    const outcome = await health
      .guard(async () => {
        throw new Error('Connection terminated unexpectedly');
      })
      .catch((error: unknown) => error);

    expect(isSwitchyardError(outcome) && outcome.code).toBe('store_unavailable');
    expect(health.status().degraded).toBe(true);
  });
});
