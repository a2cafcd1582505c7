import { createParser, type EventSourceMessage } from 'eventsource-parser';
import Fastify, { type FastifyInstance } from 'fastify';
import { request } from 'undici';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FakeClock } from '../../core/clock.js';
import { LiveFeed } from '../../observability/live-feed.js';
import { silentLogger } from '../../observability/logger.js';
import { RequestLogWriter } from '../../observability/request-log-writer.js';
import { sampleRequestLogEntry } from '../../observability/sample-request-log-entry.js';
import { renderError, toSwitchyardError } from '../../server/error-response.js';
import { RequestLogStore } from '../../store/request-log-store.js';
import { openSqliteDatabase } from '../../store/sqlite-database.js';
import { logPage, requestLogRecord } from '../log-contracts.js';
import { registerLogRoutes } from './log-routes.js';

const ADMIN_PASSWORD = 'admin-secret';
const BASE_TIME = Date.UTC(2026, 0, 1);

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(options: { feedBuffer?: number } = {}) {
  const database = await openSqliteDatabase({ file: ':memory:' });
  const store = new RequestLogStore(database.db);
  const clock = new FakeClock(BASE_TIME);
  const feed = new LiveFeed({ bufferSize: options.feedBuffer ?? 256 });
  const writer = new RequestLogWriter({
    store,
    clock,
    logger: silentLogger(),
    settings: () => ({
      enabled: true,
      retentionDays: 7,
      maxRows: 100_000,
      debugBodies: true,
      maxBodyChars: 100,
    }),
  });
  const app = Fastify({ logger: false });
  app.setErrorHandler((error, _request, reply) => {
    const rendered = renderError(toSwitchyardError(error), 'admin');
    return reply.status(rendered.status).send(rendered.body);
  });
  registerLogRoutes(app, {
    store,
    writer,
    feed,
    clock,
    adminCredentials: () => ({ adminPassword: ADMIN_PASSWORD, apiKey: 'sk-proxy' }),
  });
  cleanups.push(async () => {
    await app.close();
    await writer.close();
    await database.close();
  });
  return { app, store, writer, feed, clock };
}

const entries = [
  sampleRequestLogEntry({ id: 'req_1', time: BASE_TIME + 1000 }),
  sampleRequestLogEntry({
    id: 'req_2',
    time: BASE_TIME + 2000,
    status: 429,
    error: 'all accounts limited',
    accountId: 'account-2',
    accountEmail: 'two@example.com',
  }),
  sampleRequestLogEntry({
    id: 'req_3',
    time: BASE_TIME + 3000,
    protocol: 'anthropic-messages',
    path: '/v1/messages',
    clientModel: 'claude-sonnet-4',
    mappedModel: 'claude-sonnet-4-20250514',
  }),
  sampleRequestLogEntry({ id: 'req_4', time: BASE_TIME + 4000, status: 502, error: 'upstream reset' }),
];

async function listIds(app: FastifyInstance, query: string): Promise<string[]> {
  const response = await app.inject({ method: 'GET', url: `/api/logs?${query}` });
  expect(response.statusCode).toBe(200);
  return logPage.parse(response.json()).logs.map((log) => log.id);
}

describe('GET /api/logs', () => {
  it('lists entries just recorded, newest first, in the snake_case contract without bodies', async () => {
    const { app, writer } = await setup();
    for (const entry of entries) writer.record(entry);
    const response = await app.inject({ method: 'GET', url: '/api/logs' });
    expect(response.statusCode).toBe(200);
    const page = logPage.parse(response.json());
    expect(page.logs.map((log) => log.id)).toEqual(['req_4', 'req_3', 'req_2', 'req_1']);
    expect(page.next_before).toBeNull();
    expect(page.logs[3]).toEqual({
      id: 'req_1',
      time: BASE_TIME + 1000,
      protocol: 'openai-chat',
      method: 'POST',
      path: '/v1/chat/completions',
      client_model: 'gpt-4o',
      mapped_model: 'gpt-4o-2024-08-06',
      account_id: 'account-1',
      account_email: 'one@example.com',
      session_id: 'sid-0123456789abcdef',
      status: 200,
      attempts: 1,
      accounts_tried: ['one@example.com'],
      models_tried: ['gpt-4o-2024-08-06'],
      local_reply: null,
      latency_ms: 120,
      ttfb_ms: 40,
      input_tokens: 10,
      output_tokens: 5,
      cache_read_tokens: 0,
      cache_write_tokens: 0,
      reasoning_tokens: 0,
      client_key_id: null,
      error: null,
    });
  });

  it.each([
    { query: 'status=error', expected: ['req_4', 'req_2'] },
    { query: 'status=success', expected: ['req_3', 'req_1'] },
    { query: 'status=429', expected: ['req_2'] },
    { query: 'account=account-2', expected: ['req_2'] },
    { query: 'model=claude-sonnet-4-20250514', expected: ['req_3'] },
    { query: 'protocol=anthropic-messages', expected: ['req_3'] },
    { query: 'q=UPSTREAM', expected: ['req_4'] },
    { query: 'status=&account=&q=', expected: ['req_4', 'req_3', 'req_2', 'req_1'] },
  ])('filters with $query', async ({ query, expected }) => {
    const { app, writer } = await setup();
    for (const entry of entries) writer.record(entry);
    expect(await listIds(app, query)).toEqual(expected);
  });

  it('pages with limit and the next_before cursor', async () => {
    const { app, writer } = await setup();
    for (const entry of entries) writer.record(entry);
    const first = logPage.parse((await app.inject({ method: 'GET', url: '/api/logs?limit=3' })).json());
    expect(first.logs.map((log) => log.id)).toEqual(['req_4', 'req_3', 'req_2']);
    expect(first.next_before).toEqual(expect.any(String));
    const url = `/api/logs?limit=3&before=${encodeURIComponent(first.next_before ?? '')}`;
    const second = logPage.parse((await app.inject({ method: 'GET', url })).json());
    expect(second.logs.map((log) => log.id)).toEqual(['req_1']);
    expect(second.next_before).toBeNull();
  });

  it.each([
    { query: 'limit=501', path: 'limit' },
    { query: 'limit=0', path: 'limit' },
    { query: 'status=bogus', path: 'status' },
    { query: 'acount=x', path: '' },
  ])('rejects $query with 400 validation_failed', async ({ query, path }) => {
    const { app } = await setup();
    const response = await app.inject({ method: 'GET', url: `/api/logs?${query}` });
    expect(response.statusCode).toBe(400);
    const body = response.json() as { error: { code: string; details: { issues: { path: string }[] } } };
    expect(body.error.code).toBe('validation_failed');
    expect(body.error.details.issues[0]?.path).toBe(path);
  });

  it('rejects a malformed cursor with 400', async () => {
    const { app } = await setup();
    const response = await app.inject({ method: 'GET', url: '/api/logs?before=not-a-cursor' });
    expect(response.statusCode).toBe(400);
  });
});

describe('GET /api/logs/:id', () => {
  it('returns one entry with its stored bodies', async () => {
    const { app, writer } = await setup();
    writer.record(sampleRequestLogEntry({ id: 'req_body', requestBody: '{"a":1}', responseBody: '{"b":2}' }));
    const response = await app.inject({ method: 'GET', url: '/api/logs/req_body' });
    expect(response.statusCode).toBe(200);
    const record = requestLogRecord.parse(response.json());
    expect([record.id, record.request_body, record.response_body]).toEqual([
      'req_body',
      '{"a":1}',
      '{"b":2}',
    ]);
  });

  it('answers 404 for an unknown id', async () => {
    const { app } = await setup();
    const response = await app.inject({ method: 'GET', url: '/api/logs/req_missing' });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ error: { code: 'not_found' } });
  });
});

describe('DELETE /api/logs', () => {
  it('clears stored and still-queued entries and answers 204', async () => {
    const { app, writer } = await setup();
    writer.record(entries[0] ?? sampleRequestLogEntry());
    await writer.flush();
    writer.record(entries[1] ?? sampleRequestLogEntry());
    const response = await app.inject({ method: 'DELETE', url: '/api/logs' });
    expect(response.statusCode).toBe(204);
    expect(await listIds(app, '')).toEqual([]);
  });
});

/** Parses an SSE body as it arrives; `readUntil` pulls chunks until the condition holds. */
function sseReader(body: AsyncIterable<unknown>) {
  const events: EventSourceMessage[] = [];
  const comments: string[] = [];
  const parser = createParser({
    onEvent: (event) => events.push(event),
    onComment: (comment) => comments.push(comment.trim()),
  });
  const chunks = body[Symbol.asyncIterator]();
  const readUntil = async (done: () => boolean) => {
    while (!done()) {
      const next = await chunks.next();
      if (next.done) throw new Error('stream ended early');
      parser.feed(Buffer.from(next.value as Uint8Array).toString('utf8'));
    }
  };
  return { events, comments, readUntil };
}

describe('GET /api/logs/stream', () => {
  it.each([
    { name: 'no credentials', url: '/api/logs/stream', headers: {} },
    { name: 'a wrong token', url: '/api/logs/stream?token=nope', headers: {} },
    { name: 'a wrong bearer', url: '/api/logs/stream', headers: { authorization: 'Bearer nope' } },
    {
      name: 'a wrong header even with a right token',
      url: `/api/logs/stream?token=${ADMIN_PASSWORD}`,
      headers: { authorization: 'Bearer nope' },
    },
  ])('answers 401 to $name', async ({ url, headers }) => {
    const { app, feed } = await setup();
    const response = await app.inject({ method: 'GET', url, headers });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toMatchObject({ error: { code: 'unauthorized' } });
    expect(feed.subscriberCount).toBe(0);
  });

  it.each([
    { name: '?token=', path: `/api/logs/stream?token=${ADMIN_PASSWORD}`, headers: {} },
    {
      name: 'a Bearer header',
      path: '/api/logs/stream',
      headers: { authorization: `Bearer ${ADMIN_PASSWORD}` },
    },
  ])(
    'with $name streams entries as `log` events and heartbeats, and ends when the client leaves',
    async ({ path, headers }) => {
      const { app, feed, clock } = await setup();
      const address = await app.listen({ host: '127.0.0.1', port: 0 });
      const controller = new AbortController();
      const response = await request(`${address}${path}`, { headers, signal: controller.signal });
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toBe('text/event-stream; charset=utf-8');

      const { events, comments, readUntil } = sseReader(response.body);
      await readUntil(() => comments.includes('connected'));
      expect(feed.subscriberCount).toBe(1);
      feed.record(sampleRequestLogEntry({ id: 'req_live_1', requestBody: 'secret-ish body' }));
      feed.record(sampleRequestLogEntry({ id: 'req_live_2', status: 500 }));
      await readUntil(() => events.length >= 2);
      expect(events.map((event) => event.event)).toEqual(['log', 'log']);
      const records = events.map((event) => requestLogRecord.parse(JSON.parse(event.data)));
      expect(records.map((record) => [record.id, record.status])).toEqual([
        ['req_live_1', 200],
        ['req_live_2', 500],
      ]);
      expect(records[0]?.request_body).toBeUndefined();

      await clock.advance(15_000);
      await readUntil(() => comments.includes('heartbeat'));

      controller.abort();
      await vi.waitFor(() => expect(feed.subscriberCount).toBe(0));
    },
  );

  it('tells a client that fell behind how many entries it lost, then goes on with the newest', async () => {
    const { app, feed } = await setup({ feedBuffer: 1 });
    const address = await app.listen({ host: '127.0.0.1', port: 0 });
    const controller = new AbortController();
    const response = await request(`${address}/api/logs/stream?token=${ADMIN_PASSWORD}`, {
      signal: controller.signal,
    });
    const { events, comments, readUntil } = sseReader(response.body);
    await readUntil(() => comments.includes('connected'));
    // The first entry goes straight to the waiting writer; the next four share a one-entry buffer.
    for (let index = 1; index <= 5; index++) feed.record(sampleRequestLogEntry({ id: `req_${index}` }));
    await readUntil(() => events.length >= 3);
    expect(
      events.map((event) => [event.event, event.event === 'log' ? JSON.parse(event.data).id : event.data]),
    ).toEqual([
      ['log', 'req_1'],
      ['dropped', '{"dropped":3}'],
      ['log', 'req_5'],
    ]);
    controller.abort();
    await vi.waitFor(() => expect(feed.subscriberCount).toBe(0));
  });

  it('ends open streams when the app closes', async () => {
    const { app, feed } = await setup();
    const address = await app.listen({ host: '127.0.0.1', port: 0 });
    const response = await request(`${address}/api/logs/stream?token=${ADMIN_PASSWORD}`);
    const reading = response.body.text();
    await vi.waitFor(() => expect(feed.subscriberCount).toBe(1));
    await app.close();
    await expect(reading).resolves.toContain(': connected');
    expect(feed.subscriberCount).toBe(0);
  });
});
