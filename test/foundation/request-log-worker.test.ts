/**
 * The request log written by its worker thread, in the real `switchyard start` (compiled `dist/`,
 * where the worker's own file must be shipped), on both store backends: the rows of requests
 * answered before a SIGTERM are in the database after the process has exited, and `/metrics`
 * shows the request log's counters.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { httpCall } from '../support/http-call.js';
import { type MockUpstream, startMockUpstream } from '../support/mock-upstream.js';
import { sampleChat } from '../support/sample-requests.js';
import { createDatabase } from '../support/services.js';
import { type CliGateway, startCliGateway, temporaryDirectory } from './run-cli.js';

let upstream: MockUpstream;
let gateway: CliGateway | undefined;
let directory: Awaited<ReturnType<typeof temporaryDirectory>>;

beforeAll(async () => {
  upstream = await startMockUpstream();
});

afterAll(async () => {
  await upstream?.close();
});

afterEach(async () => {
  await gateway?.stop('SIGKILL');
  gateway = undefined;
  await directory?.remove();
});

/** How each backend is chosen, and how the test reads the stored ids back. */
interface Backend {
  name: string;
  prepare(dataDir: string): Promise<Record<string, string>>;
  storedIds(dataDir: string): Promise<string[]>;
}

let databaseUrl = '';

const BACKENDS: Backend[] = [
  {
    name: 'sqlite',
    prepare: async () => ({}),
    async storedIds(dataDir) {
      const database = new Database(join(dataDir, 'switchyard.db'), { readonly: true });
      try {
        return database
          .prepare('select id from request_logs')
          .all()
          .map((row) => (row as { id: string }).id);
      } finally {
        database.close();
      }
    },
  },
  {
    name: 'postgres',
    async prepare(dataDir) {
      databaseUrl = await createDatabase(inject('postgresUrl'));
      await writeFile(join(dataDir, 'gui_config.json'), JSON.stringify({ store: { backend: 'postgres' } }));
      return { SWITCHYARD_DATABASE_URL: databaseUrl };
    },
    async storedIds() {
      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect();
      try {
        const result = await client.query<{ id: string }>('select id from request_logs');
        return result.rows.map((row) => row.id);
      } finally {
        await client.end();
      }
    },
  },
];

describe.each(BACKENDS)('on $name', (backend) => {
  it('stores the rows of every request answered before shutdown, written by the worker thread', {
    timeout: 60_000,
  }, async () => {
    directory = await temporaryDirectory();
    const env = await backend.prepare(directory.path);
    gateway = await startCliGateway({ dataDir: directory.path, extraArgs: ['--log-level', 'warn'], env });
    const auth = { authorization: `Bearer ${gateway.apiKey}` };
    const added = await httpCall(`${gateway.url}/api/accounts`, {
      headers: auth,
      body: {
        provider: 'openai',
        email: 'one@example.com',
        api_key: 'sk-one',
        base_url: `${upstream.url}/v1`,
      },
    });
    expect(added.status).toBe(201);

    const ids: string[] = [];
    for (let index = 0; index < 5; index++) {
      const answer = await httpCall(`${gateway.url}/v1/chat/completions`, {
        headers: auth,
        body: sampleChat(`question ${index}`),
      });
      expect(answer.status).toBe(200);
      ids.push(String(answer.headers['x-request-id']));
    }
    const metrics = await httpCall(`${gateway.url}/metrics`, { headers: auth });
    expect(metrics.text).toMatch(/^switchyard_request_log_dropped_rows 0$/m);

    const exit = await gateway.stop('SIGTERM');
    expect(exit.code).toBe(0);
    expect(exit.stderr).not.toContain('request log worker failed');
    gateway = undefined;
    expect((await backend.storedIds(directory.path)).sort()).toEqual([...ids].sort());
  });
});
