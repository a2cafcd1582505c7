import { describe, expect, it } from 'vitest';
import { oauth } from '../../test/support/oauth-fakes.js';
import type { RefreshedCredential } from './account-patch.js';
import { RefreshedTokenWrites } from './refreshed-token-writes.js';
import type { StoreAvailability } from './store-health.js';

const refused = () =>
  Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5999'), { code: 'ECONNREFUSED' });

/** A store whose writes the test lets through one at a time, and an availability it switches. */
function setup() {
  const stored: string[] = [];
  const gates: Array<() => void> = [];
  const state = { writable: true, failNext: false };
  const availability: StoreAvailability = {
    get writable() {
      return state.writable;
    },
    reportFailure: () => {
      state.writable = false;
      return true;
    },
    onAvailable: () => () => undefined,
    guard: (operation) => operation(),
  };
  const writes = new RefreshedTokenWrites({
    accounts: {
      storeRefreshedCredential: async (_id, refreshed) => {
        await new Promise<void>((resolve) => gates.push(resolve));
        if (state.failNext) throw refused();
        stored.push(refreshed.credential.accessToken ?? '');
        return 'stored';
      },
    },
    availability,
    onError: () => undefined,
  });
  const refresh = (accessToken: string): RefreshedCredential => ({
    from: 'rt-1',
    credential: oauth({ accessToken }),
  });
  const release = () => gates.shift()?.();
  return { writes, stored, state, refresh, release, gates };
}

async function settle(promise: Promise<void>): Promise<boolean> {
  let done = false;
  void promise.then(() => {
    done = true;
  });
  for (let turn = 0; turn < 10; turn++) await Promise.resolve();
  return done;
}

describe('RefreshedTokenWrites.write', () => {
  it('resolves once its credential is stored, not before', async () => {
    const { writes, stored, refresh, release } = setup();

    const written = writes.write('acct-1', refresh('at-1'));
    expect(await settle(written)).toBe(false);
    release();
    await written;

    expect(stored).toEqual(['at-1']);
  });

  it('resolves with the credential held when the store does not answer', async () => {
    const { writes, state, refresh, release } = setup();
    state.failNext = true;

    const written = writes.write('acct-1', refresh('at-1'));
    release();
    await written;

    expect(writes.heldCount).toBe(1);
    expect(await settle(writes.write('acct-2', refresh('at-2')))).toBe(true);
  });

  it('writes a newer refresh of an account whose earlier write was under way, before resolving', async () => {
    const { writes, stored, refresh, release, gates } = setup();

    const first = writes.write('acct-1', refresh('at-1'));
    const second = writes.write('acct-1', refresh('at-2'));
    let finished = false;
    void second.then(() => {
      finished = true;
    });
    while (!finished) {
      await Promise.resolve();
      if (gates.length > 0) release();
    }
    await first;

    expect(stored).toEqual(['at-1', 'at-2']);
  });
});
