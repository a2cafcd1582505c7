/**
 * What a client key may use and how it is counted: pinned accounts and account groups, cost
 * budgets priced from the table, keys when authentication is off, budgets across a restart, and
 * no database read on the request path.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { temporaryDirectory } from '../foundation/run-cli.js';
import { startGateway } from '../support/gateway-harness.js';
import { pick } from '../support/http-call.js';
import { captureLogs } from '../support/log-capture.js';
import { ANY_KEY, ok, startMockUpstream } from '../support/mock-upstream.js';
import { createKey, expectRefusal, familyAccounts, keyAction, PROTOCOLS, send } from './key-rig.js';

const openai = PROTOCOLS[0]!;
const running: { close(): Promise<void> }[] = [];

afterEach(async () => {
  for (const item of running.reverse()) await item.close();
  running.length = 0;
});

async function rig(
  options: { config?: Record<string, unknown>; dataDir?: string; openaiAccounts?: number } = {},
) {
  const upstream = await startMockUpstream();
  running.push(upstream);
  const accounts = Array.from({ length: options.openaiAccounts ?? 3 }, (_, index) => ({
    provider: 'openai' as const,
    email: `pool-${index}@example.com`,
    api_key: `sk-pool-${index}`,
    base_url: `${upstream.url}/v1`,
    label: index === 0 ? 'solo' : 'team-a',
  }));
  const gateway = await startGateway({ config: options.config, accounts, dataDir: options.dataDir });
  running.push(gateway);
  return { upstream, gateway };
}

describe('accounts a key may use', () => {
  it('a key pinned to an account is served by that account only; a group by the accounts labelled with it', async () => {
    const { upstream, gateway } = await rig();
    const pinned = await createKey(gateway, {
      name: 'pinned',
      account_id: gateway.accountIds['pool-2@example.com'],
    });
    const grouped = await createKey(gateway, { name: 'grouped', account_group: 'team-a' });

    for (let turn = 0; turn < 4; turn++) {
      expect((await send(gateway, openai, pinned.secret, `pinned conversation ${turn}`)).status).toBe(200);
    }
    const pinnedKeys = new Set(upstream.requests.map((request) => request.key));
    upstream.reset();
    for (let turn = 0; turn < 6; turn++) {
      expect((await send(gateway, openai, grouped.secret, `grouped conversation ${turn}`)).status).toBe(200);
    }
    const groupKeys = new Set(upstream.requests.map((request) => request.key));

    expect(pinnedKeys).toEqual(new Set(['sk-pool-2']));
    expect(groupKeys).toEqual(new Set(['sk-pool-1', 'sk-pool-2']));
  });

  it('a key whose accounts cannot serve answers 503 naming them, and sends nothing', async () => {
    const { upstream, gateway } = await rig();
    const key = await createKey(gateway, { name: 'nobody', account_group: 'no-such-group' });

    const result = await send(gateway, openai, key.secret);

    expect(result.status).toBe(503);
    expect(result.text).toContain('pinned account or account group');
    expect(upstream.requests).toHaveLength(0);
  });
});

describe('cost budgets', () => {
  it('count the estimated cost from the price table and refuse once the day’s budget is spent', async () => {
    const { upstream, gateway } = await rig({
      config: { pricing: { models: { 'gpt-4o*': { input: 100, output: 100 } } } },
    });
    upstream.setDefault(
      ANY_KEY,
      ok({ usage: { inputTokens: 4000, outputTokens: 1000, cacheReadTokens: 0 } }),
    );
    // Each request: 5000 tokens at $100 per million = $0.50.
    const key = await createKey(gateway, { name: 'spender', limits: { cost_per_day: 0.9 } });

    expect((await send(gateway, openai, key.secret)).status).toBe(200);
    expect((await send(gateway, openai, key.secret)).status).toBe(200);
    const refused = await send(gateway, openai, key.secret);

    expectRefusal(openai, refused, 429);
    expect(refused.text).toContain('$0.9 (estimated cost) for today (UTC)');
    const listed = await gateway.call('GET', `/api/keys/${key.id}`);
    expect(pick(listed.json, 'usage', 'cost_today')).toBeCloseTo(1, 10);
    expect(upstream.requests).toHaveLength(2);
  });
});

describe('budgets across a restart', () => {
  it('start from the usage stored before: a spent daily budget stays spent', async () => {
    const directory = await temporaryDirectory();
    running.push({ close: directory.remove });
    const first = await rig({ dataDir: directory.path });
    first.upstream.setDefault(
      ANY_KEY,
      ok({ usage: { inputTokens: 700, outputTokens: 300, cacheReadTokens: 0 } }),
    );
    const key = await createKey(first.gateway, { name: 'durable', limits: { tokens_per_day: 1500 } });
    expect((await send(first.gateway, openai, key.secret)).status).toBe(200);
    expect((await send(first.gateway, openai, key.secret)).status).toBe(200);
    await first.gateway.close();
    running.splice(running.indexOf(first.gateway), 1);

    const restarted = await startGateway({ dataDir: directory.path });
    running.push(restarted);
    const refused = await send(restarted, openai, key.secret);

    expectRefusal(openai, refused, 429);
    expect(pick((await restarted.call('GET', `/api/keys/${key.id}`)).json, 'usage', 'tokens_today')).toBe(
      2000,
    );
    expect(first.upstream.requests).toHaveLength(2);
  });
});

describe('client keys when authentication is off', () => {
  it('still attribute and limit a known key, refuse a revoked one, and let unknown keys through as anonymous', async () => {
    const { upstream, gateway } = await rig({ config: { proxy: { auth_mode: 'off' } } });
    const key = await createKey(gateway, { name: 'loopback', limits: { requests_per_minute: 1 } });

    expect((await send(gateway, openai, key.secret)).status).toBe(200);
    expectRefusal(openai, await send(gateway, openai, key.secret), 429);
    expect((await send(gateway, openai, 'sk-anything')).status).toBe(200);
    expect((await send(gateway, openai, null)).status).toBe(200);
    await keyAction(gateway, key.id, 'revoke');
    expectRefusal(openai, await send(gateway, openai, key.secret), 401);

    const logs = await gateway.call('GET', '/api/logs?limit=10');
    const keys = (pick(logs.json, 'logs') as Array<{ client_key_id: string | null; status: number }>).map(
      (row) => `${row.status} ${row.client_key_id ?? 'anonymous'}`,
    );
    expect(keys.sort()).toEqual([`200 ${key.id}`, '200 anonymous', '200 anonymous', `429 ${key.id}`].sort());
    expect(upstream.requests).toHaveLength(3);
  });
});

describe('the request path', () => {
  it('reads nothing from the database per request: keys, limits and usage live in memory', async () => {
    const logs = captureLogs({ level: 'trace' });
    const upstream = await startMockUpstream();
    running.push(upstream);
    const gateway = await startGateway({ logger: logs.logger, accounts: familyAccounts(upstream) });
    running.push(gateway);
    const key = await createKey(gateway, {
      name: 'busy',
      limits: { requests_per_minute: 1000, tokens_per_day: 10_000_000 },
    });
    const storeQueries = () =>
      logs.lines.filter((line) => line.msg === 'store query').map((line) => String(line['sql']));
    // The log sees every statement: creating the key wrote it.
    expect(storeQueries().some((sql) => sql.startsWith('insert into "client_keys"'))).toBe(true);
    const before = storeQueries().length;

    for (let request = 0; request < 30; request++) {
      const protocol = PROTOCOLS[request % PROTOCOLS.length]!;
      expect((await send(gateway, protocol, key.secret, `request number ${request}`)).status).toBe(200);
    }

    const during = storeQueries().slice(before);
    const reads = during.filter((sql) => /^\s*select/i.test(sql));
    // Background timers may run meanwhile — batched writes of the request log and usage, the
    // account store's batched quota write (which reads the row it merges into), SQLite's change
    // counter — but no statement reads keys, limits, usage or the request log for a request.
    expect(reads.filter((sql) => !sql.startsWith('select "quota", "last_used_at" from "accounts"'))).toEqual(
      [],
    );
  });
});
