/**
 * One gateway whose PostgreSQL store goes away: it says so (`/healthz`, status, `/metrics`), keeps
 * serving every request, refuses admin changes with a 503, and writes what it held once the
 * database is back. A real PostgreSQL server, stopped and started by the test.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli, temporaryDirectory } from '../foundation/run-cli.js';
import { type GatewayHarness, type StartGatewayOptions, startGateway } from '../support/gateway-harness.js';
import { type MockUpstream, rateLimited, startMockUpstream } from '../support/mock-upstream.js';
import { sampleChat } from '../support/sample-requests.js';
import { type PostgresService, startPostgres } from '../support/services.js';

const KEY = 'e'.repeat(64);

let upstream: MockUpstream;
let postgres: PostgresService;
const gateways: GatewayHarness[] = [];

beforeAll(async () => {
  upstream = await startMockUpstream();
  postgres = await startPostgres();
});
afterAll(async () => {
  await upstream.close();
  await postgres.dispose();
});
afterEach(async () => {
  // The server must be up for the next test, whatever this one left.
  postgres.thaw();
  await postgres.start();
  for (const gateway of gateways.splice(0)) await gateway.close();
  upstream.reset();
});

async function instance(url: string, options: StartGatewayOptions = {}): Promise<GatewayHarness> {
  const gateway = await startGateway({
    secretKey: KEY,
    config: { store: { backend: 'postgres', postgres_url: url } },
    ...options,
  });
  gateways.push(gateway);
  return gateway;
}

function account(key: string) {
  return { provider: 'openai', email: `${key}@example.com`, api_key: key, base_url: `${upstream.url}/v1` };
}

async function chat(gateway: GatewayHarness, text: string) {
  return gateway.call('POST', '/v1/chat/completions', { body: sampleChat(text) });
}

interface StoreView {
  store_degraded: boolean;
  store: { degraded: boolean; reason: string | null; held_writes: Record<string, number> };
}

async function status(gateway: GatewayHarness): Promise<StoreView> {
  return (await gateway.call('GET', '/api/proxy/status')).json as StoreView;
}

async function rows(url: string, query: string): Promise<Record<string, unknown>[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(query)).rows;
  } finally {
    await client.end();
  }
}

describe('a gateway whose PostgreSQL store is stopped', () => {
  it('reports store_degraded, serves every request, and stores the held log rows and locks once it is back', async () => {
    const url = await postgres.createDatabase();
    const gateway = await instance(url);
    for (const key of ['sk-a', 'sk-b']) await gateway.call('POST', '/api/accounts', { body: account(key) });
    expect((await status(gateway)).store_degraded).toBe(false);
    expect((await gateway.call('GET', '/healthz')).json).toMatchObject({
      status: 'ok',
      store_degraded: false,
    });

    await postgres.stop();
    upstream.script('sk-a', rateLimited({ retryAfter: '600' }));
    const statuses: number[] = [];
    for (let index = 0; index < 12; index += 1)
      statuses.push((await chat(gateway, `request ${index} while the store is down`)).status);

    expect(statuses).toEqual(Array(12).fill(200));
    await vi.waitFor(async () => expect((await status(gateway)).store_degraded).toBe(true), {
      timeout: 10_000,
    });
    // The log rows reach the held writes through the request log's writer, which hands rows over
    // in batches and retries a batch whose write failed before the outage was noticed.
    await vi.waitFor(async () => expect((await status(gateway)).store.held_writes['request_log']).toBe(12), {
      timeout: 15_000,
    });
    const degraded = await status(gateway);
    expect(degraded.store.reason).toBeTruthy();
    expect((await gateway.call('GET', '/healthz')).json).toMatchObject({
      status: 'ok',
      store_degraded: true,
    });
    const metrics = (await gateway.call('GET', '/metrics')).text;
    expect(metrics).toContain('switchyard_store_degraded 1');
    expect(metrics).toContain('switchyard_store_held_writes{kind="request_log"} 12');

    await postgres.start();
    await vi.waitFor(async () => expect((await status(gateway)).store_degraded).toBe(false), {
      timeout: 15_000,
    });
    await vi.waitFor(
      async () => {
        const logged = await rows(url, 'select count(*)::int as n from request_logs where status = 200');
        expect(logged[0]?.['n']).toBe(12);
      },
      { timeout: 10_000 },
    );
    await vi.waitFor(
      async () => {
        const locks = await rows(
          url,
          "select l.account_id from rate_limit_locks l join accounts a on a.id = l.account_id where a.email = 'sk-a@example.com'",
        );
        expect(locks.length).toBeGreaterThan(0);
      },
      { timeout: 10_000 },
    );
    // The request log reports how many rows it holds when that changes (`heldRows`), so the count
    // reaches the status at most one report after the rows are stored.
    await vi.waitFor(async () => expect((await status(gateway)).store.held_writes['request_log']).toBe(0), {
      timeout: 5_000,
    });
    expect((await gateway.call('GET', '/metrics')).text).toContain('switchyard_store_degraded 0');
  });

  it('answers admin writes with a 503 store_unavailable while it is down, and accepts them again after', async () => {
    const url = await postgres.createDatabase();
    const gateway = await instance(url);
    await gateway.call('POST', '/api/accounts', { body: account('sk-first') });

    await postgres.stop();
    const refused = await gateway.call('POST', '/api/accounts', { body: account('sk-during') });
    const key = await gateway.call('POST', '/api/keys', { body: { name: 'during the outage' } });
    const served = await chat(gateway, 'served while the admin writes are refused');

    expect(refused.status).toBe(503);
    expect(refused.json).toMatchObject({ error: { code: 'store_unavailable' } });
    expect((refused.json as { error: { message: string } }).error.message).toContain('127.0.0.1');
    expect(refused.headers['retry-after']).toBeDefined();
    expect(key.status).toBe(503);
    expect(key.json).toMatchObject({ error: { code: 'store_unavailable' } });
    expect(served.status).toBe(200);

    await postgres.start();
    await vi.waitFor(async () => expect((await status(gateway)).store_degraded).toBe(false), {
      timeout: 15_000,
    });
    const accepted = await gateway.call('POST', '/api/accounts', { body: account('sk-after') });
    expect(accepted.status).toBe(201);
    const emails = await rows(url, 'select email from accounts order by email');
    expect(emails.map((row) => row['email'])).toEqual(['sk-after@example.com', 'sk-first@example.com']);
  });
});

describe('admin reads of a gateway whose PostgreSQL store is stopped', () => {
  it('answer the request log and usage with a 503 store_unavailable, and the stored rows again after', async () => {
    const url = await postgres.createDatabase();
    const gateway = await instance(url);
    await gateway.call('POST', '/api/accounts', { body: account('sk-read') });
    expect((await chat(gateway, 'logged before the outage')).status).toBe(200);
    const logged = (await gateway.call('GET', '/api/logs')).json as { logs: Array<{ id: string }> };
    const id = logged.logs[0]?.id ?? '';

    await postgres.stop();
    const reads = [
      await gateway.call('GET', '/api/logs'),
      await gateway.call('GET', `/api/logs/${id}`),
      await gateway.call('GET', '/api/usage?by=account&since=1d'),
      await gateway.call('DELETE', '/api/logs'),
    ];

    for (const answer of reads) {
      expect(answer.status).toBe(503);
      expect(answer.json).toMatchObject({ error: { code: 'store_unavailable' } });
      expect(answer.headers['retry-after']).toBeDefined();
    }
    await postgres.start();
    await vi.waitFor(async () => expect((await status(gateway)).store_degraded).toBe(false), {
      timeout: 15_000,
    });
    const after = await gateway.call('GET', `/api/logs/${id}`);
    expect(after.status).toBe(200);
    expect((await gateway.call('GET', '/api/usage?by=account&since=1d')).status).toBe(200);
  });
});

describe('a gateway whose PostgreSQL store is frozen', () => {
  it('notices without a failed write, refuses admin writes with a 503, serves requests, and recovers on thaw', async () => {
    const url = await postgres.createDatabase();
    const gateway = await instance(url);
    await gateway.call('POST', '/api/accounts', { body: account('sk-frozen') });

    postgres.freeze();
    await vi.waitFor(async () => expect((await status(gateway)).store_degraded).toBe(true), {
      timeout: 20_000,
    });
    const refused = await gateway.call('POST', '/api/keys', { body: { name: 'while frozen' } });
    const served = await chat(gateway, 'served while the store is frozen');
    postgres.thaw();

    expect(refused.status).toBe(503);
    expect(refused.json).toMatchObject({ error: { code: 'store_unavailable' } });
    expect(served.status).toBe(200);
    await vi.waitFor(async () => expect((await status(gateway)).store_degraded).toBe(false), {
      timeout: 20_000,
    });
    expect((await gateway.call('POST', '/api/keys', { body: { name: 'after the thaw' } })).status).toBe(201);
  }, 60_000);
});

describe('a gateway started while its PostgreSQL store does not answer', () => {
  it('refuses to start, naming the server with its password masked and the way to start anyway', async () => {
    const url = await postgres.createDatabase();
    await postgres.stop();
    const withPassword = url.replace('postgres@', 'postgres:hunter2secret@');

    const error = (await instance(withPassword).then(
      () => null,
      (failure: unknown) => failure,
    )) as Error;

    expect(error).toBeInstanceOf(Error);
    expect(error.message).toContain(
      `Cannot connect to PostgreSQL at postgres://postgres:***@127.0.0.1:${postgres.port}/`,
    );
    expect(error.message).toContain('ECONNREFUSED');
    expect(error.message).toContain('--allow-degraded-start');
    expect(error.message).not.toContain('hunter2secret');
  });

  it('exits non-zero from the command line with the same message', async () => {
    const url = await postgres.createDatabase();
    await postgres.stop();
    const directory = await temporaryDirectory();
    try {
      await writeFile(
        join(directory.path, 'gui_config.json'),
        JSON.stringify({ store: { backend: 'postgres' } }),
      );
      const result = await runCli(['start', '--data-dir', directory.path, '--port', '0'], {
        env: {
          SWITCHYARD_DATABASE_URL: url.replace('postgres@', 'postgres:hunter2secret@'),
          SWITCHYARD_SECRET_KEY: KEY,
        },
      });

      expect(result.code).toBe(1);
      expect(result.stderr).toContain(
        `Cannot connect to PostgreSQL at postgres://postgres:***@127.0.0.1:${postgres.port}/`,
      );
      expect(result.stderr).toContain('--allow-degraded-start');
      expect(result.stderr).not.toContain('hunter2secret');
    } finally {
      await directory.remove();
    }
  });

  it('starts degraded with --allow-degraded-start, and loads its accounts once the database answers', async () => {
    const url = await postgres.createDatabase();
    const first = await instance(url);
    await first.call('POST', '/api/accounts', { body: account('sk-stored') });
    await gateways.splice(gateways.indexOf(first), 1)[0]?.close();
    await postgres.stop();

    const gateway = await instance(url, { allowDegradedStart: true });
    const before = await status(gateway);
    const refused = await gateway.call('POST', '/api/accounts', { body: account('sk-refused') });

    expect(before.store_degraded).toBe(true);
    expect((await gateway.call('GET', '/healthz')).json).toMatchObject({
      status: 'ok',
      store_degraded: true,
    });
    expect(refused.status).toBe(503);
    expect(refused.json).toMatchObject({ error: { code: 'store_unavailable' } });

    await postgres.start();
    await vi.waitFor(async () => expect((await status(gateway)).store_degraded).toBe(false), {
      timeout: 15_000,
    });
    const listed = await gateway.call('GET', '/api/accounts');
    const served = await chat(gateway, 'served by the account loaded once the store answered');
    expect((listed.json as { accounts: { email: string }[] }).accounts.map((entry) => entry.email)).toEqual([
      'sk-stored@example.com',
    ]);
    expect(served.status).toBe(200);
    expect(served.headers['x-account-email']).toBe('sk-stored@example.com');
  });
});
