/**
 * Client keys on several instances sharing a PostgreSQL store: a key created, rotated or revoked
 * through any instance or the CLI is honoured or refused by every instance within a second, and
 * usage served by every instance adds up in the shared hourly totals.
 */
import { describe, expect, inject, it, vi } from 'vitest';
import { expectRefusal, PROTOCOLS, send } from '../keys/key-rig.js';
import type { GatewayHarness } from '../support/gateway-harness.js';
import { pick } from '../support/http-call.js';
import { ANY_KEY, ok } from '../support/mock-upstream.js';
import { createDatabase } from '../support/services.js';
import { postgresClusterRig } from './postgres-cluster-rig.js';

const KEY = 'e'.repeat(64);
const SEEN = { timeout: 5000, interval: 50 };
const openai = PROTOCOLS[0]!;

const rig = postgresClusterRig();

function instance(url: string, accounts = false): Promise<GatewayHarness> {
  const shared = {
    provider: 'openai' as const,
    email: 'shared@example.com',
    api_key: 'sk-shared',
    base_url: `${rig.upstream.url}/v1`,
  };
  return rig.instance(url, {
    secretKey: KEY,
    config: { proxy: { auth_mode: 'all_except_health' } },
    accounts: accounts ? [shared] : [],
  });
}

const keysCli = (url: string, args: string[]) => rig.cli(url, KEY, ['keys', ...args]);

describe('client keys on instances sharing a PostgreSQL store', () => {
  it('are honoured and refused by every instance, whichever instance or the CLI changed them', async () => {
    const url = await createDatabase(inject('postgresUrl'));
    const first = await instance(url, true);
    const second = await instance(url);
    await vi.waitFor(async () => expect((await send(second, openai, second.apiKey)).status).toBe(200), SEEN);

    const created = await first.call('POST', '/api/keys', { body: { name: 'shared' } });
    const id = String(pick(created.json, 'key', 'id'));
    const secret = String(pick(created.json, 'secret'));
    await vi.waitFor(async () => expect((await send(second, openai, secret)).status).toBe(200), SEEN);

    const rotated = await second.call('POST', `/api/keys/${id}/rotate`, { body: {} });
    const newSecret = String(pick(rotated.json, 'secret'));
    await vi.waitFor(async () => expectRefusal(openai, await send(first, openai, secret), 401), SEEN);
    expect((await send(first, openai, newSecret)).status).toBe(200);

    const revoked = await keysCli(url, ['revoke', 'shared']);
    expect(revoked.stderr).toBe('');
    for (const gateway of [first, second]) {
      await vi.waitFor(async () => expectRefusal(openai, await send(gateway, openai, newSecret), 401), SEEN);
    }
  });

  it('add the usage every instance served into the shared totals', async () => {
    rig.upstream.setDefault(
      ANY_KEY,
      ok({ usage: { inputTokens: 100, outputTokens: 50, cacheReadTokens: 0 } }),
    );
    const url = await createDatabase(inject('postgresUrl'));
    const first = await instance(url, true);
    const second = await instance(url);
    const created = await first.call('POST', '/api/keys', { body: { name: 'busy' } });
    const secret = String(pick(created.json, 'secret'));
    await vi.waitFor(async () => expect((await send(second, openai, secret)).status).toBe(200), SEEN);
    expect((await send(first, openai, secret)).status).toBe(200);
    expect((await send(first, openai, secret)).status).toBe(200);
    // Each instance writes its own sums: reading usage through it flushes them.
    await second.call('GET', '/api/usage');

    const report = await first.call('GET', '/api/usage?by=key&since=1h');

    expect(pick(report.json, 'totals')).toMatchObject({ requests: 3, input_tokens: 300, output_tokens: 150 });
  });
});
