import { describe, expect, it } from 'vitest';
import { FakeClock } from '../core/clock.js';
import { MemoryReclaimer, RECLAIM_AFTER_BYTES, RECLAIM_IDLE_MS } from './memory-reclaimer.js';

function setup() {
  const clock = new FakeClock();
  const state = { inFlight: 0, collections: 0 };
  const reclaimer = new MemoryReclaimer({
    clock,
    inFlight: () => state.inFlight,
    collect: () => {
      state.collections++;
    },
  });
  return { clock, state, reclaimer };
}

describe('MemoryReclaimer', () => {
  it('collects once after a burst of large bodies, when nothing has been in flight for a while', async () => {
    const { clock, state, reclaimer } = setup();
    reclaimer.released(RECLAIM_AFTER_BYTES / 2);
    reclaimer.released(RECLAIM_AFTER_BYTES / 2);
    await clock.advance(RECLAIM_IDLE_MS - 1);
    expect(state.collections).toBe(0);
    await clock.advance(1);
    expect(state.collections).toBe(1);
    await clock.advance(10 * RECLAIM_IDLE_MS);
    expect(state.collections).toBe(1);
  });

  it('never collects for small bodies', async () => {
    const { clock, state, reclaimer } = setup();
    for (let index = 0; index < 100; index++) reclaimer.released(1024);
    await clock.advance(10 * RECLAIM_IDLE_MS);
    expect(state.collections).toBe(0);
  });

  it('waits until no body is in flight, then collects', async () => {
    const { clock, state, reclaimer } = setup();
    state.inFlight = 5;
    reclaimer.released(RECLAIM_AFTER_BYTES);
    await clock.advance(10 * RECLAIM_IDLE_MS);
    expect(state.collections).toBe(0);
    state.inFlight = 0;
    reclaimer.released(5);
    await clock.advance(RECLAIM_IDLE_MS);
    expect(state.collections).toBe(1);
  });

  it('skips a collection whose idle time was interrupted by a new body', async () => {
    const { clock, state, reclaimer } = setup();
    reclaimer.released(RECLAIM_AFTER_BYTES);
    state.inFlight = 100;
    await clock.advance(RECLAIM_IDLE_MS);
    expect(state.collections).toBe(0);
    reclaimer.close();
  });
});
