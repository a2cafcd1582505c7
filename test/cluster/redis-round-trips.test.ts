/**
 * What one request costs in Redis, counted with `MONITOR` on the real server: a request whose
 * session is already bound, and that succeeds, makes exactly one Redis call — the pick's read
 * (binding read and refresh, counter, fixed account) — and none while this instance holds a lease
 * on the binding (`state.binding_lease_ms`). Its writes are skipped when there is nothing to write,
 * and its success bookkeeping when this instance's mirror knows no failure count or back-off lock
 * to clear. Work is counted, never timed.
 */
import { Redis } from 'ioredis';
import { describe, expect, inject, it, vi } from 'vitest';
import { systemClock } from '../../src/core/clock.js';
import { systemIds } from '../../src/core/ids.js';
import { ACTIVE_LOCKS, READ_FOR_PICK } from '../../src/state/redis-scripts.js';
import { RedisStateStore } from '../../src/state/redis-state-store.js';
import { scriptSha } from '../../src/state/run-script.js';
import type { GatewayHarness } from '../support/gateway-harness.js';
import { clusterTestBed, SEEN } from '../support/in-process-cluster.js';
import { sampleChat } from '../support/sample-requests.js';
import { redisKeyPrefix } from '../support/services.js';

const SESSIONS = ['one', 'two', 'three', 'four'];
const TURNS = 5;

const bed = clusterTestBed();

/** Every command Redis runs on `prefix`'s keys while `work` runs, but the once-a-second resync. */
async function commandsDuring(prefix: string, work: () => Promise<void>): Promise<string[][]> {
  const monitor = await new Redis(inject('redisUrl')).monitor();
  const seen: string[][] = [];
  monitor.on('monitor', (_time: string, args: string[], source: string) => {
    // The commands a script runs are shown too, from `lua`: the script's own call counts once.
    if (source === 'lua' || !args.some((arg) => arg.startsWith(prefix))) return;
    const resync =
      (args[0] === 'evalsha' && args[1] === scriptSha(ACTIVE_LOCKS)) ||
      args[0] === 'hgetall' ||
      (args[0] === 'get' && args[1] === `${prefix}fixed`);
    if (!resync) seen.push(args);
  });
  try {
    await work();
    // A marker sent after the work: once MONITOR shows it, everything the requests caused has been seen.
    const marker = `${prefix}marker`;
    const shown = new Promise<void>((resolve) => {
      monitor.on('monitor', (_time: string, args: string[]) => args[1] === marker && resolve());
    });
    const client = new Redis(inject('redisUrl'));
    await client.get(marker);
    await shown;
    client.disconnect();
  } finally {
    monitor.disconnect();
  }
  return seen.filter((args) => !args.includes(`${prefix}marker`));
}

async function chat(gateway: GatewayHarness, session: string, text: string): Promise<string> {
  const answer = await gateway.call('POST', '/v1/chat/completions', {
    body: sampleChat(text),
    headers: { 'session-id': session },
  });
  expect(answer.status, answer.text).toBe(200);
  return String(answer.headers['x-account-email']);
}

describe('Redis round trips per request', () => {
  /** Redis commands of turns 1 to TURNS of every session, their first turns made before. */
  async function laterTurns(state: Record<string, unknown>): Promise<string[][]> {
    const [gateway] = await bed.start({
      size: 1,
      accounts: ['sk-a', 'sk-b', 'sk-c'].map((key) => ({
        provider: 'openai' as const,
        email: `${key}@example.com`,
        api_key: key,
        base_url: `${bed.upstream.url}/v1`,
      })),
      config: { auto_refresh: false },
      state,
    });
    const prefix = gateway!.runtime.stores.config.get().state.key_prefix;
    for (const session of SESSIONS) await chat(gateway!, session, `${session} first turn`);
    return commandsDuring(prefix, async () => {
      for (let turn = 1; turn <= TURNS; turn++) {
        for (const session of SESSIONS) await chat(gateway!, session, `${session} turn ${turn}`);
      }
    });
  }

  it('a bound session’s successful request makes one Redis call, the pick’s read, with leases off', async () => {
    const commands = await laterTurns({ binding_lease_ms: 0 });
    expect(commands.map((args) => args.slice(0, 2))).toEqual(
      Array.from({ length: SESSIONS.length * TURNS }, () => ['evalsha', scriptSha(READ_FOR_PICK)]),
    );
  });

  it('makes no Redis call at all while the instance holds a lease on the binding', async () => {
    // A lease longer than the test: every later turn is served on it.
    expect(await laterTurns({ binding_lease_ms: 60_000 })).toEqual([]);
  });
});

describe('the failure-count mirror that lets a success skip Redis', () => {
  it('a success on one instance clears a failure counted on another, once the count reached its mirror', async () => {
    const connect = () =>
      RedisStateStore.connect({
        url: inject('redisUrl'),
        keyPrefix,
        clock: systemClock,
        ids: systemIds,
        commandTimeoutMs: 2000,
      });
    const keyPrefix = redisKeyPrefix();
    const [failedOn, succeededOn] = [await connect(), await connect()];
    try {
      await failedOn.incrementFailureCount('account-a');
      // Nothing known about account-b: its reset skips Redis and leaves nothing behind either way.
      await succeededOn.resetFailureCount('account-b', { knownOnly: true });
      await vi.waitFor(async () => {
        await succeededOn.resetFailureCount('account-a', { knownOnly: true });
        expect(await failedOn.getFailureCount('account-a')).toBeNull();
      }, SEEN);
      expect(await succeededOn.getFailureCount('account-a')).toBeNull();
    } finally {
      await failedOn.close();
      await succeededOn.close();
    }
  });
});
