/**
 * The request log written by its worker thread, in the real `switchyard start` (compiled `dist/`,
 * where the worker's own file must be shipped): the rows of requests answered before a SIGTERM are
 * in the database after the process has exited, and `/metrics` shows the request log's counters.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { httpCall } from '../support/http-call.js';
import { type MockUpstream, startMockUpstream } from '../support/mock-upstream.js';
import { sampleChat } from '../support/sample-requests.js';
import { type CliGateway, startCliGateway, temporaryDirectory } from './run-cli.js';

let upstream: MockUpstream;
let gateway: CliGateway | undefined;
let directory: Awaited<ReturnType<typeof temporaryDirectory>>;

beforeAll(async () => {
  upstream = await startMockUpstream();
  directory = await temporaryDirectory();
});

afterAll(async () => {
  await gateway?.stop('SIGKILL');
  await upstream?.close();
  await directory?.remove();
});

it('stores the rows of every request answered before shutdown, written by the worker thread', {
  timeout: 60_000,
}, async () => {
  gateway = await startCliGateway({ dataDir: directory.path, extraArgs: ['--log-level', 'warn'] });
  const auth = { authorization: `Bearer ${gateway.apiKey}` };
  const added = await httpCall(`${gateway.url}/api/accounts`, {
    headers: auth,
    body: { provider: 'openai', email: 'one@example.com', api_key: 'sk-one', base_url: `${upstream.url}/v1` },
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

  const database = new Database(join(directory.path, 'switchyard.db'), { readonly: true });
  try {
    const stored = database
      .prepare('select id from request_logs order by time, id')
      .all()
      .map((row) => (row as { id: string }).id);
    expect(stored.sort()).toEqual([...ids].sort());
  } finally {
    database.close();
  }
});
