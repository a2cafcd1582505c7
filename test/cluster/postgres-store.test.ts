/**
 * Several gateway instances on one PostgreSQL store: account changes made through any instance or
 * the CLI reach every instance, a wrong secret key is refused at start, and losing PostgreSQL under
 * load fails no client request.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import type { GatewayHarness } from '../support/gateway-harness.js';
import { rateLimited } from '../support/mock-upstream.js';
import { sampleChat } from '../support/sample-requests.js';
import { createDatabase, type PostgresService, startPostgres } from '../support/services.js';
import { postgresClusterRig } from './postgres-cluster-rig.js';

const KEY = 'c'.repeat(64);
const OTHER_KEY = 'd'.repeat(64);

const rig = postgresClusterRig();
const instance = (url: string, secretKey = KEY) => rig.instance(url, { secretKey });

function account(key: string) {
  return {
    provider: 'openai',
    email: `${key}@example.com`,
    api_key: key,
    base_url: `${rig.upstream.url}/v1`,
  };
}

/** The `accounts` command of the CLI on the PostgreSQL store at `url`, from a data directory of its own. */
const accountsCli = (url: string, args: string[]) => rig.cli(url, KEY, ['accounts', ...args]);

/** The instance's accounts as `email` or `email (disabled)`, sorted. */
async function emails(gateway: GatewayHarness): Promise<string[]> {
  const listed = await gateway.call('GET', '/api/accounts');
  const accounts = (listed.json as { accounts?: { email: string; disabled: boolean }[] }).accounts ?? [];
  return accounts.map((entry) => `${entry.email}${entry.disabled ? ' (disabled)' : ''}`).sort();
}

async function chat(gateway: GatewayHarness, text: string) {
  return gateway.call('POST', '/v1/chat/completions', { body: sampleChat(text) });
}

describe('instances sharing a PostgreSQL store', () => {
  it('use and drop accounts added, disabled and removed through any instance or the CLI', async () => {
    const url = await createDatabase(inject('postgresUrl'));
    const [first, second, third] = [await instance(url), await instance(url), await instance(url)];

    const added = await first.call('POST', '/api/accounts', { body: account('sk-one') });
    expect(added.status).toBe(201);
    await vi.waitFor(async () => expect(await emails(third)).toEqual(['sk-one@example.com']), {
      timeout: 5000,
    });
    const served = await chat(third, 'served by an account added through another instance');
    expect(served.status).toBe(200);
    expect(served.headers['x-account-email']).toBe('sk-one@example.com');

    const disabled = await accountsCli(url, ['disable', 'sk-one@example.com', '--reason', 'over budget']);
    expect(disabled.stderr).toBe('');
    for (const gateway of [first, second, third]) {
      await vi.waitFor(async () => expect(await emails(gateway)).toEqual(['sk-one@example.com (disabled)']), {
        timeout: 5000,
      });
      expect((await chat(gateway, 'no usable account is left now')).status).toBe(503);
    }

    await accountsCli(url, [
      'add',
      '--provider',
      'openai',
      '--email',
      'sk-two@example.com',
      '--api-key',
      'sk-two',
      '--base-url',
      `${rig.upstream.url}/v1`,
    ]);
    const id = (added.json as { id: string }).id;
    expect((await second.call('DELETE', `/api/accounts/${id}`)).status).toBe(204);
    for (const gateway of [first, second, third]) {
      await vi.waitFor(async () => expect(await emails(gateway)).toEqual(['sk-two@example.com']), {
        timeout: 5000,
      });
    }
    expect((await first.call('GET', `/api/accounts/${id}`)).status).toBe(404);
  });

  it('refuse to start with a secret key other than the store’s, naming the store and the variable', async () => {
    const url = await createDatabase(inject('postgresUrl'));
    await instance(url);

    const failure = instance(url, OTHER_KEY);

    await expect(failure).rejects.toThrow(/SWITCHYARD_SECRET_KEY/);
    await expect(failure).rejects.toThrow(`the database ${url} was created with`);
    await expect(failure).rejects.toThrow(/Every instance sharing a PostgreSQL store needs the same/);
  });

  it('keep credentials encrypted in the shared database', async () => {
    const url = await createDatabase(inject('postgresUrl'));
    const gateway = await instance(url);
    await gateway.call('POST', '/api/accounts', { body: account('sk-very-secret-0123456789') });

    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const { rows } = await client.query('select credential from accounts');
    await client.end();

    expect(rows).toHaveLength(1);
    expect(rows[0].credential).toMatch(/^v1:/);
    expect(rows[0].credential).not.toContain('sk-very-secret');
  });
});

describe('an instance whose PostgreSQL goes away under load', () => {
  let postgres: PostgresService;
  beforeAll(async () => {
    postgres = await startPostgres();
  });
  afterAll(() => postgres.dispose());

  /** `count` requests, four at a time; resolves with every status. */
  async function load(gateway: GatewayHarness, label: string, count: number): Promise<number[]> {
    const statuses: number[] = [];
    let next = 0;
    const worker = async () => {
      while (next < count) {
        next += 1;
        statuses.push((await chat(gateway, `${label} request number ${next} of the load`)).status);
      }
    };
    await Promise.all([worker(), worker(), worker(), worker()]);
    return statuses;
  }

  it('fails no request while frozen or stopped, and converges once it is back', async () => {
    const url = await postgres.createDatabase();
    const gateway = await instance(url);
    for (const key of ['sk-a', 'sk-b', 'sk-c'])
      await gateway.call('POST', '/api/accounts', { body: account(key) });
    expect(await load(gateway, 'healthy', 20)).toEqual(Array(20).fill(200));

    postgres.freeze();
    // Locks, quota and the request log all want the database meanwhile.
    rig.upstream.script('sk-a', rateLimited({ retryAfter: '30' }));
    const frozen = await load(gateway, 'frozen', 20);
    postgres.thaw();

    await postgres.stop();
    rig.upstream.script('sk-b', rateLimited({ retryAfter: '30' }));
    const stopped = await load(gateway, 'stopped', 20);

    expect(frozen).toEqual(Array(20).fill(200));
    expect(stopped).toEqual(Array(20).fill(200));

    await postgres.start();
    const added = await accountsCli(url, [
      'add',
      '--provider',
      'openai',
      '--email',
      'after@example.com',
      '--api-key',
      'sk-after',
      '--base-url',
      `${rig.upstream.url}/v1`,
    ]);
    expect(added.stderr).toBe('');
    await vi.waitFor(async () => expect(await emails(gateway)).toContain('after@example.com'), {
      timeout: 10_000,
    });
    const marker = await chat(gateway, 'a request logged after the database came back');
    expect(marker.status).toBe(200);
    const requestId = marker.headers['x-request-id'];
    await vi.waitFor(
      async () => expect((await gateway.call('GET', `/api/logs/${requestId}`)).status).toBe(200),
      { timeout: 10_000 },
    );
  });
});
