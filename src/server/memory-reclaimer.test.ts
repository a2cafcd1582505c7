import { describe, expect, it } from 'vitest';
import { FakeClock } from '../core/clock.js';
import {
  MemoryReclaimer,
  RECLAIM_ABOVE_RESIDENT_BYTES,
  RECLAIM_AFTER_BYTES,
  RECLAIM_IDLE_MS,
} from './memory-reclaimer.js';

/** Resident memory after a burst: well above the threshold unless a test says otherwise. */
function setup(resident = 2 * RECLAIM_ABOVE_RESIDENT_BYTES) {
  const clock = new FakeClock();
  const state = { inFlight: 0, collections: 0, resident };
  const reclaimer = new MemoryReclaimer({
    clock,
    inFlight: () => state.inFlight,
    residentBytes: () => state.resident,
    collect: () => {
      state.collections++;
      state.resident = RECLAIM_ABOVE_RESIDENT_BYTES / 2;
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

  it('does not collect after bodies that left the process under the resident threshold', async () => {
    const { clock, state, reclaimer } = setup(RECLAIM_ABOVE_RESIDENT_BYTES - 1);
    reclaimer.released(4 * RECLAIM_AFTER_BYTES);
    await clock.advance(10 * RECLAIM_IDLE_MS);
    expect(state.collections).toBe(0);
    // The next burst is checked again, and collected once the process holds that much.
    state.resident = RECLAIM_ABOVE_RESIDENT_BYTES;
    reclaimer.released(RECLAIM_AFTER_BYTES);
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
