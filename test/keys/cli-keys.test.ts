/**
 * `switchyard keys` and `switchyard usage` through the real command, against the data directory of
 * a running gateway: what the command line creates, rotates and revokes, the gateway honours
 * within a second, and what `usage` prints is what the admin API answers.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { type CliResult, runCli, temporaryDirectory } from '../foundation/run-cli.js';
import { type GatewayHarness, startGateway } from '../support/gateway-harness.js';
import { pick } from '../support/http-call.js';
import { ANY_KEY, type MockUpstream, ok, startMockUpstream } from '../support/mock-upstream.js';
import { expectRefusal, familyAccounts, PROTOCOLS, send } from './key-rig.js';

/** The running gateway polls the database for changes made by other processes every second. */
const SEEN_BY_GATEWAY = { timeout: 3000, interval: 50 };
const openai = PROTOCOLS[0]!;

let upstream: MockUpstream;
let dataDir: string;
let removeDir: () => Promise<void>;
let gateway: GatewayHarness;

beforeAll(async () => {
  upstream = await startMockUpstream();
});
afterAll(() => upstream.close());
beforeEach(async () => {
  ({ path: dataDir, remove: removeDir } = await temporaryDirectory());
  gateway = await startGateway({
    dataDir,
    config: { proxy: { auth_mode: 'all_except_health' } },
    accounts: familyAccounts(upstream),
  });
});
afterEach(async () => {
  await gateway?.close();
  await removeDir();
  upstream.reset();
});

function cli(args: string[]): Promise<CliResult> {
  return runCli([...args, '--data-dir', dataDir]);
}

async function succeeded(args: string[]): Promise<string> {
  const result = await cli(args);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return result.stdout;
}

describe('switchyard keys', () => {
  it('creates a key the running gateway honours, rotates it and revokes it', async () => {
    const created = JSON.parse(
      await succeeded([
        'keys',
        'create',
        '--name',
        'alice',
        '--owner',
        'Alice',
        '--rpm',
        '5',
        '--models',
        'gpt-*',
        '--json',
      ]),
    );
    const secret = String(created.secret);
    expect(created.key).toMatchObject({ name: 'alice', owner: 'Alice', status: 'active', models: ['gpt-*'] });
    expect(created.key.limits).toEqual({ requests_per_minute: 5 });
    await vi.waitFor(
      async () => expect((await send(gateway, openai, secret)).status).toBe(200),
      SEEN_BY_GATEWAY,
    );

    const rotatedText = await succeeded(['keys', 'rotate', 'alice']);
    const newSecret = /^\s+(sk-sy-\S+)$/m.exec(rotatedText)?.[1] ?? '';
    expect(rotatedText).toContain('This is the only time the key is shown');
    await vi.waitFor(
      async () => expect((await send(gateway, openai, newSecret)).status).toBe(200),
      SEEN_BY_GATEWAY,
    );
    expectRefusal(openai, await send(gateway, openai, secret), 401);

    expect(await succeeded(['keys', 'revoke', 'alice'])).toMatch(/^Revoked client key "alice"/);
    await vi.waitFor(
      async () => expectRefusal(openai, await send(gateway, openai, newSecret), 401),
      SEEN_BY_GATEWAY,
    );
  });

  it('lists keys with their limits and today’s stored usage, and changes limits with update', async () => {
    upstream.setDefault(ANY_KEY, ok({ usage: { inputTokens: 300, outputTokens: 200, cacheReadTokens: 0 } }));
    const created = await gateway.call('POST', '/api/keys', {
      body: { name: 'ci', limits: { tokens_per_day: 100_000 } },
    });
    const secret = String(pick(created.json, 'secret'));
    expect((await send(gateway, openai, secret)).status).toBe(200);
    // Reading usage through the API writes the gateway's pending usage sums.
    await gateway.call('GET', '/api/usage');

    const table = await succeeded(['keys', 'list']);
    const updated = JSON.parse(await succeeded(['keys', 'update', 'ci', '--cost-per-month', '25', '--json']));

    expect(table).toMatch(/^ID\s+NAME\s+OWNER\s+STATUS\s+KEY\s+LIMITS\s+TOKENS TODAY/);
    expect(table).toMatch(/ci\s+active\s+sk-sy-…\S{4}\s+100000 tok\/day\s+500\s/);
    expect(table).not.toContain(secret);
    expect(updated.limits).toEqual({ cost_per_month: 25 });
    expect(updated.usage).toMatchObject({ tokens_today: 500, requests_last_minute: null });
  });

  it('says clearly what is wrong with a bad command', async () => {
    const unknown = await cli(['keys', 'revoke', 'nobody']);
    const badLimit = await cli(['keys', 'create', '--name', 'x', '--rpm', 'many']);
    const badAccount = await cli(['keys', 'create', '--name', 'x', '--account', 'nobody@example.com']);

    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('No client key with id or name "nobody"');
    expect(badLimit.code).toBe(1);
    expect(badLimit.stderr).toContain('limits.requests_per_minute');
    expect(badAccount.code).toBe(1);
    expect(badAccount.stderr).toContain('nobody@example.com');
  });
});

describe('switchyard usage', () => {
  it('prints per key, account or model what the admin API answers, as a table, JSON or CSV', async () => {
    upstream.setDefault(
      ANY_KEY,
      ok({ usage: { inputTokens: 1200, outputTokens: 800, cacheReadTokens: 200 } }),
    );
    const created = await gateway.call('POST', '/api/keys', { body: { name: 'team' } });
    const secret = String(pick(created.json, 'secret'));
    for (const protocol of PROTOCOLS) expect((await send(gateway, protocol, secret)).status).toBe(200);
    expect((await send(gateway, openai, gateway.apiKey)).status).toBe(200);
    const api = await gateway.call('GET', '/api/usage?by=account&since=7d');

    const json = JSON.parse(await succeeded(['usage', '--by', 'account', '--since', '7d', '--json']));
    const table = await succeeded(['usage', '--by', 'key', '--since', '7d']);
    const csv = await succeeded(['usage', '--by', 'model', '--since', '1d', '--bucket', 'day', '--csv']);

    expect(json.groups).toEqual(pick(api.json, 'groups'));
    expect(json.totals).toMatchObject({
      requests: 4,
      input_tokens: 4800,
      output_tokens: 3200,
      cache_read_tokens: 800,
    });
    expect(table).toMatch(/^KEY\s+REQUESTS\s+ERRORS\s+INPUT\s+OUTPUT/);
    expect(table).toMatch(/\nteam\s+3\s+0\s+3600\s+2400\s+600\s/);
    expect(table).toMatch(/\nowner key \/ no key\s+1\s+0\s+1200\s+800\s/);
    expect(table).toContain('Costs are estimates in US dollars');
    const lines = csv.trim().split('\n');
    expect(lines[0]).toBe(
      'bucket_start,by,id,label,requests,errors,input_tokens,output_tokens,cache_read_tokens,cache_write_tokens,reasoning_tokens,estimated_cost_usd',
    );
    expect(
      lines
        .slice(1)
        .map((line) => line.split(',')[3])
        .sort(),
    ).toEqual([
      'claude-sonnet-4-5',
      'claude-sonnet-4-5',
      'gemini-2.5-pro',
      'gemini-2.5-pro',
      'gpt-4o',
      'gpt-4o',
    ]);
  });
});
