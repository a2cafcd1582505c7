import { describe, expect, it } from 'vitest';
import { FakeClock } from '../core/clock.js';
import { BodyBudget } from './body-budget.js';

function budget(maxBytes = 100, waitMs = 1000) {
  const clock = new FakeClock();
  return { clock, bodies: new BodyBudget({ clock, maxBytes: () => maxBytes, waitMs: () => waitMs }) };
}

describe('BodyBudget', () => {
  it('admits bodies while they fit and counts what they hold', async () => {
    const { bodies } = budget();
    const first = await bodies.acquire(60);
    const second = await bodies.acquire(40);
    expect(first).not.toBeNull();
    expect(second).not.toBeNull();
    expect(bodies.inFlight).toBe(100);
    first?.release();
    first?.release();
    expect(bodies.inFlight).toBe(40);
  });

  it('gives a lease at once when the bytes fit, and null without waiting or queueing when they do not', async () => {
    const { bodies } = budget(100);
    const held = bodies.tryAcquire(80);
    expect(held).not.toBeNull();
    expect(bodies.tryAcquire(30)).toBeNull();
    expect(bodies.inFlight).toBe(80);
    held?.release();
    // Nothing was left waiting by the refusal: the freed room goes to the next caller.
    expect(bodies.inFlight).toBe(0);
    expect(await bodies.acquire(100)).not.toBeNull();
  });

  it('always admits a body when nothing else is in flight, even one larger than the budget', async () => {
    const { bodies } = budget(100);
    const lease = await bodies.acquire(500);
    expect(lease).not.toBeNull();
    expect(bodies.inFlight).toBe(500);
  });

  it('refuses a body that finds no room within the wait', async () => {
    const { clock, bodies } = budget(100, 1000);
    await bodies.acquire(80);
    const waiting = bodies.acquire(50);
    await clock.advance(999);
    let settled = false;
    void waiting.then(() => {
      settled = true;
    });
    await Promise.resolve();
    expect(settled).toBe(false);
    await clock.advance(1);
    expect(await waiting).toBeNull();
    expect(bodies.inFlight).toBe(80);
  });

  it('admits a waiting body as soon as another releases room', async () => {
    const { clock, bodies } = budget(100, 1000);
    const holder = await bodies.acquire(80);
    const waiting = bodies.acquire(50);
    await clock.advance(300);
    holder?.release();
    const lease = await waiting;
    expect(lease).not.toBeNull();
    expect(bodies.inFlight).toBe(50);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('lets a small body pass a large one that still does not fit', async () => {
    const { bodies } = budget(100, 1000);
    const holder = await bodies.acquire(30);
    void bodies.acquire(90);
    const small = await bodies.acquire(20);
    expect(small).not.toBeNull();
    expect(holder).not.toBeNull();
  });

  it('grows a lease only while the growth fits', async () => {
    const { bodies } = budget(100);
    await bodies.acquire(50);
    const lease = await bodies.acquire(10);
    expect(lease?.grow(30)).toBe(true);
    expect(lease?.grow(30)).toBe(false);
    expect(bodies.inFlight).toBe(90);
    lease?.release();
    expect(bodies.inFlight).toBe(50);
  });

  it('refuses at once with no wait configured, and ends a wait when the client leaves', async () => {
    const { bodies } = budget(100, 0);
    await bodies.acquire(80);
    expect(await bodies.acquire(50)).toBeNull();
    const waiting = budget(100, 1000);
    await waiting.bodies.acquire(80);
    const controller = new AbortController();
    const pending = waiting.bodies.acquire(50, controller.signal);
    controller.abort();
    expect(await pending).toBeNull();
    expect(waiting.clock.pendingTimers()).toBe(0);
  });
});
