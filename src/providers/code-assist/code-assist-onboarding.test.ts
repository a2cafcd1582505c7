import { describe, expect, it } from 'vitest';
import { FakeClock, systemClock } from '../../core/clock.js';
import { newAccount } from '../../store/account-patch.js';
import type { CodeAssistApi } from './code-assist-api.js';
import { ONBOARDING_POLL_DELAYS_MS, onboardCodeAssistUser } from './code-assist-onboarding.js';

const START = Date.UTC(2026, 0, 1);
const account = newAccount(
  {
    provider: 'code-assist',
    email: 'new@gmail.com',
    credential: {
      type: 'oauth',
      refreshToken: 'rt',
      accessToken: 'at',
      expiresAt: null,
      tokenUrl: null,
      clientId: null,
      clientSecret: null,
    },
  },
  { id: 'acct-1', now: START },
);

const done = (project: string) => ({
  name: 'operations/op-1',
  done: true,
  response: { cloudaicompanionProject: { id: project, name: project } },
});

/** A fake API answering onboardUser and getOperation from two queues, recording each call and its time. */
function fakeApi(clock: FakeClock, answers: { onboard: unknown[]; operations?: unknown[] }) {
  const calls: Array<{ method: string; at: number; argument: string }> = [];
  const api: CodeAssistApi = {
    loadCodeAssist: async () => ({}),
    fetchAvailableModels: async () => ({}),
    async onboardUser(_account, _token, tierId) {
      calls.push({ method: 'onboardUser', at: clock.now() - START, argument: tierId });
      return answers.onboard.shift() ?? { done: false };
    },
    async getOperation(_account, _token, name) {
      calls.push({ method: 'getOperation', at: clock.now() - START, argument: name });
      return answers.operations?.shift() ?? { name, done: false };
    },
  };
  return { api, calls };
}

/** Settles `promise`, moving the fake clock on whenever the work waits for it. */
async function drive<T>(clock: FakeClock, promise: Promise<T>): Promise<T> {
  let settled = false;
  promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  for (let step = 0; step < 200 && !settled; step++) {
    await systemClock.yieldToIo?.();
    if (!settled) await clock.advance(500);
  }
  return promise;
}

function onboard(clock: FakeClock, api: CodeAssistApi, ineligibleReasons: string[] = []) {
  return drive(
    clock,
    onboardCodeAssistUser({ api, clock, account, accessToken: 'at', tierId: 'free-tier', ineligibleReasons }),
  );
}

describe('onboardCodeAssistUser', () => {
  it('onboards with the tier, polls the operation with growing waits, and returns its project', async () => {
    const clock = new FakeClock(START);
    const { api, calls } = fakeApi(clock, {
      onboard: [{ name: 'operations/op-1', done: false }],
      operations: [{ name: 'operations/op-1', done: false }, done('managed-project-1')],
    });

    expect(await onboard(clock, api)).toBe('managed-project-1');
    expect(calls).toEqual([
      { method: 'onboardUser', at: 0, argument: 'free-tier' },
      { method: 'getOperation', at: 500, argument: 'operations/op-1' },
      { method: 'getOperation', at: 1500, argument: 'operations/op-1' },
    ]);
  });

  it('takes a project from an operation that is done at once, without polling', async () => {
    const clock = new FakeClock(START);
    const { api, calls } = fakeApi(clock, { onboard: [done('at-once')] });

    expect(await onboard(clock, api)).toBe('at-once');
    expect(calls).toHaveLength(1);
  });

  it('asks onboardUser again when the answer names no operation', async () => {
    const clock = new FakeClock(START);
    const { api, calls } = fakeApi(clock, {
      onboard: [{ done: false }, { done: true, response: { cloudaicompanionProject: 'p-2' } }],
    });

    expect(await onboard(clock, api)).toBe('p-2');
    expect(calls.map((call) => call.method)).toEqual(['onboardUser', 'onboardUser']);
  });

  it('gives up after a bounded number of checks, saying so', async () => {
    const clock = new FakeClock(START);
    const { api, calls } = fakeApi(clock, { onboard: [{ name: 'operations/slow', done: false }] });

    await expect(onboard(clock, api)).rejects.toThrow(
      'onboarding (tier free-tier) did not finish within 38 s (10 checks); it is tried again on the next request',
    );
    expect(calls).toHaveLength(1 + ONBOARDING_POLL_DELAYS_MS.length);
  });

  it("reports the operation's error", async () => {
    const clock = new FakeClock(START);
    const { api } = fakeApi(clock, {
      onboard: [{ name: 'operations/x', done: true, error: { code: 412, message: 'Precondition Failed' } }],
    });

    await expect(onboard(clock, api)).rejects.toThrow(
      'onboarding (tier free-tier) failed: Precondition Failed',
    );
  });

  it('names the ineligibility when the operation ends without a project', async () => {
    const clock = new FakeClock(START);
    const { api } = fakeApi(clock, { onboard: [{ name: 'operations/x', done: true, response: {} }] });

    await expect(
      onboard(clock, api, ['Your account is not eligible for Gemini Code Assist']),
    ).rejects.toThrow(
      'onboarding (tier free-tier) finished without a project: Your account is not eligible for Gemini Code Assist;',
    );
  });

  it('refuses an operation name that would leave the API base URL', async () => {
    const clock = new FakeClock(START);
    const { api, calls } = fakeApi(clock, { onboard: [{ name: '../../evil', done: false }] });

    await expect(onboard(clock, api)).rejects.toThrow('an operation name that is not one');
    expect(calls).toHaveLength(1);
  });
});
