import { describe, expect, it, vi } from 'vitest';
import { FakeClock } from '../core/clock.js';
import { SwitchyardError } from '../core/errors.js';
import { sequentialIds } from '../core/ids.js';
import type { RateLimitLock } from '../core/limits.js';
import type { ProxyRequest, ProxyResponse } from '../gateway/proxy-request.js';
import { silentLogger } from '../observability/logger.js';
import { testAccount } from '../scheduler/test-account.js';
import type { StateHealth } from '../state/state-store.js';
import { warmupWindow } from './plan-warmups.js';
import { type LoggedWarmup, ScheduledWarmup, WARMUP_TICK_MS } from './scheduled-warmup.js';
import { SCHEDULED_WARMUP_PATH } from './warmup-request.js';

const MINUTE = 60_000;

function health(backend: StateHealth['backend']): StateHealth {
  return { backend, location: 'test', degraded: false, reason: null, since: null };
}

function harness(
  options: {
    enabled?: boolean;
    answer?: (request: ProxyRequest) => Promise<ProxyResponse>;
    history?: (now: number) => LoggedWarmup[];
  } = {},
) {
  const clock = new FakeClock();
  const sent: ProxyRequest[] = [];
  const claims = new Map<string, string>();
  const state = {
    locks: [] as RateLimitLock[],
    backend: 'memory' as StateHealth['backend'],
    listLocks: async () => state.locks,
    claim: async (name: string, holder: string) => {
      const held = claims.get(name) ?? holder;
      claims.set(name, held);
      return held === holder;
    },
    health: () => health(state.backend),
  };
  const warmup = new ScheduledWarmup({
    accounts: { list: () => [testAccount('a'), testAccount('b', { provider: 'anthropic' })] },
    gateway: {
      handle: async (request) => {
        sent.push(request);
        return options.answer
          ? options.answer(request)
          : { status: 200, headers: {}, body: Buffer.from('{}') };
      },
      mappedModel: (model) => model,
      nativeProtocol: (kind) => (kind === 'anthropic' ? 'anthropic-messages' : 'openai-chat'),
    },
    state,
    settings: () => ({
      schedule: { enabled: options.enabled ?? true, intervalMs: 10 * MINUTE, models: [] },
      protection: { enabled: false, thresholdPercentage: 10, monitoredModels: [] },
    }),
    clock,
    ids: sequentialIds(),
    logger: silentLogger(),
    history: async () => options.history?.(clock.now()) ?? [],
  });
  return { clock, sent, claims, state, warmup };
}

describe('ScheduledWarmup', () => {
  it('sends, from its timer, one warmup per account and window through the gateway, pinned to the account', async () => {
    const { clock, sent, warmup } = harness();
    warmup.start();
    await clock.advance(WARMUP_TICK_MS);
    // The timer's tick, not one called here.
    await vi.waitFor(() => expect(sent).toHaveLength(2));
    expect(sent.map((request) => [request.pinnedAccountId, request.protocol, request.clientModel])).toEqual([
      ['a', 'openai-chat', 'gpt-5-mini'],
      ['b', 'anthropic-messages', 'claude-haiku-4-5'],
    ]);
    expect(
      sent.every((request) => request.path === SCHEDULED_WARMUP_PATH && request.clientKey === null),
    ).toBe(true);
    // Ten minutes of ticks: each account's next window starts once in them.
    for (let tick = 0; tick < 20; tick++) {
      await clock.advance(WARMUP_TICK_MS);
      await warmup.tick();
    }
    expect(sent.filter((request) => request.pinnedAccountId === 'a')).toHaveLength(2);
    expect(sent.filter((request) => request.pinnedAccountId === 'b')).toHaveLength(2);
    await warmup.stop();
  });

  it('sends nothing while the schedule is off', async () => {
    const { clock, sent, warmup } = harness({ enabled: false });
    warmup.start();
    await clock.advance(10 * WARMUP_TICK_MS);
    await warmup.tick();
    expect(sent).toHaveLength(0);
    expect(await warmup.status()).toEqual([]);
    await warmup.stop();
  });

  it('records the outcome per account (an error with its reason) and does not retry in the window', async () => {
    const { sent, warmup } = harness({
      answer: async (request) => {
        if (request.pinnedAccountId === 'a') throw new SwitchyardError('upstream_error', 'upstream broke');
        return { status: 429, headers: {}, body: Buffer.from('slow down') };
      },
    });
    await warmup.tick();
    await warmup.tick();
    expect(sent).toHaveLength(2);
    const status = await warmup.status();
    expect(status.map((target) => [target.accountId, target.state, target.last?.result])).toEqual([
      ['a', 'done', 'error'],
      ['b', 'done', 'error'],
    ]);
    expect(status[0]?.last?.error).toBe('upstream broke');
    expect(status[1]?.last?.error).toBe('HTTP 429: slow down');
  });

  it('with shared state, leaves a window another instance claimed to that instance', async () => {
    const { sent, state, claims, warmup } = harness();
    state.backend = 'redis';
    const first = await warmup.status();
    const claimed = first.find((target) => target.accountId === 'a');
    claims.set(`scheduled-warmup:a:gpt-5-mini:${claimed?.window}`, 'another instance');
    await warmup.tick();
    expect(sent.map((request) => request.pinnedAccountId)).toEqual(['b']);
    const status = await warmup.status();
    expect(status.map((target) => target.last?.result)).toEqual(['elsewhere', 'ok']);
  });

  it('keeps one warmup in flight per account: a tick during a slow warmup joins it', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const { sent, warmup } = harness({
      answer: async () => {
        await gate;
        return { status: 200, headers: {}, body: Buffer.from('{}') };
      },
    });
    const first = warmup.tick();
    const second = warmup.tick();
    release();
    await Promise.all([first, second]);
    expect(sent).toHaveLength(2);
  });

  it('at start, takes the warmups the request log holds: an account warmed in its window is not warmed again', async () => {
    const start = (accountId: string, model: string, now: number) =>
      warmupWindow({ accountId, model, intervalMs: 10 * MINUTE, now }).start;
    const { sent, warmup } = harness({
      history: (now) => [
        // Newest first: the failure in a's current window is the one that counts.
        { accountId: 'a', model: 'gpt-5-mini', at: start('a', 'gpt-5-mini', now), error: 'HTTP 500: boom' },
        { accountId: 'a', model: 'gpt-5-mini', at: start('a', 'gpt-5-mini', now) - 1, error: null },
        // b's last warmup was in its previous window.
        {
          accountId: 'b',
          model: 'claude-haiku-4-5',
          at: start('b', 'claude-haiku-4-5', now) - 1,
          error: null,
        },
      ],
    });
    warmup.start();
    await warmup.tick();
    expect(sent.map((request) => request.pinnedAccountId)).toEqual(['b']);
    const a = (await warmup.status()).find((target) => target.accountId === 'a');
    expect(a).toMatchObject({ state: 'done', last: { result: 'error', error: 'HTTP 500: boom' } });
    await warmup.stop();
  });
});
