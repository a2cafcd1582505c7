import { Agent, request } from 'undici';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeClock } from '../../src/core/clock.js';
import { type HttpCallOptions, httpCall } from './http-call.js';
import {
  dropBeforeFirstByte,
  hang,
  type MockUpstream,
  ok,
  rateLimited,
  serverError,
  startMockUpstream,
} from './mock-upstream.js';
import { sampleChat, sampleContents } from './sample-requests.js';

const clock = new FakeClock(Date.UTC(2026, 0, 1));
let upstream: MockUpstream;

beforeAll(async () => {
  upstream = await startMockUpstream({ clock });
});
afterEach(() => upstream.reset());
afterAll(() => upstream.close());

const call = (path: string, options?: HttpCallOptions) => httpCall(`${upstream.url}${path}`, options);
const chat = sampleChat;
const contents = sampleContents;
const openai = (key: string) => ({ authorization: `Bearer ${key}` });

describe('scripting and recording', () => {
  it('consumes the queue of a key, then its default, then ok, without touching other keys', async () => {
    upstream.script('sk-a', serverError(500), rateLimited());
    upstream.setDefault('sk-a', serverError(503));
    const statuses: number[] = [];
    for (let index = 0; index < 4; index++) {
      statuses.push(
        (await call('/v1/chat/completions', { body: chat('x'), headers: openai('sk-a') })).status,
      );
    }
    expect(statuses).toEqual([500, 429, 503, 503]);
    expect((await call('/v1/chat/completions', { body: chat('x'), headers: openai('sk-b') })).status).toBe(
      200,
    );
    upstream.reset();
    expect((await call('/v1/chat/completions', { body: chat('x'), headers: openai('sk-a') })).status).toBe(
      200,
    );
  });

  it('applies * scripts and defaults to any key, after the key’s own queue', async () => {
    upstream.script('*', serverError(502));
    upstream.script('sk-a', serverError(500));
    upstream.setDefault('*', rateLimited());
    const statusOf = async (key: string) =>
      (await call('/v1/chat/completions', { body: chat('x'), headers: openai(key) })).status;
    expect([await statusOf('sk-a'), await statusOf('sk-a'), await statusOf('sk-b')]).toEqual([500, 502, 429]);
    expect(upstream.pending('sk-a')).toBe(0);
  });

  it.each([
    ['Authorization: Bearer', { authorization: 'Bearer key-1' }, ''],
    ['x-api-key', { 'x-api-key': 'key-1' }, ''],
    ['x-goog-api-key', { 'x-goog-api-key': 'key-1' }, ''],
    ['?key=', {}, '?key=key-1'],
  ])('records the credential carried as %s', async (_name, headers, query) => {
    await call(`/v1beta/models/m:generateContent${query}`, { body: contents('hi'), headers });
    expect(upstream.hits('key-1')).toBe(1);
  });

  it('records time, method, path with query, headers, parsed body and the behaviour used', async () => {
    await clock.advance(1000);
    const body = chat('recorded');
    await call('/v1/chat/completions?trace=1', { body, headers: { ...openai('sk-r'), 'x-extra': 'yes' } });
    expect(upstream.requestsFor('sk-r')).toEqual([
      expect.objectContaining({
        time: Date.UTC(2026, 0, 1) + 1000,
        method: 'POST',
        path: '/v1/chat/completions?trace=1',
        headers: expect.objectContaining({ 'x-extra': 'yes', authorization: 'Bearer sk-r' }),
        key: 'sk-r',
        body,
        protocol: 'openai',
        behaviour: { type: 'ok' },
      }),
    ]);
  });

  it('answers 404 naming the path for an unknown endpoint, without recording it', async () => {
    const reply = await call('/v2/unknown', { body: {} });
    expect(reply.status).toBe(404);
    expect(reply.text).toContain('/v2/unknown');
    expect(upstream.requests).toHaveLength(0);
  });
});

describe('choosing per request', () => {
  it('a default function sees each request and chooses its behaviour', async () => {
    upstream.setDefault('sk-c', (incoming) =>
      incoming.rawBody.includes('[limit]') ? rateLimited() : ok({ text: `saw ${incoming.path}` }),
    );
    const limited = await call('/v1/chat/completions', {
      body: chat('please [limit]'),
      headers: openai('sk-c'),
    });
    const answered = await call('/v1/chat/completions', { body: chat('fine'), headers: openai('sk-c') });
    expect(limited.status).toBe(429);
    expect(answered.text).toContain('saw /v1/chat/completions');
    expect(upstream.requestsFor('sk-c').map((entry) => entry.behaviour.type)).toEqual(['error', 'ok']);
  });
});

describe('connections', () => {
  // An own upstream and client pool, so the sockets other tests left open do not count.
  let own: MockUpstream;
  let agent: Agent;
  beforeEach(async () => {
    own = await startMockUpstream();
    agent = new Agent({ keepAliveTimeout: 10_000 });
  });
  afterEach(async () => {
    await agent.destroy();
    await own.close();
  });
  const send = (key: string, signal?: AbortSignal) =>
    request(`${own.url}/v1/chat/completions`, {
      method: 'POST',
      dispatcher: agent,
      headers: { 'content-type': 'application/json', ...openai(key) },
      body: JSON.stringify(chat('x')),
      signal,
    });

  it('counts open sockets, idle kept-alive ones too, until the client closes them', async () => {
    await (await send('sk-k')).body.text();
    expect(own.connections()).toEqual({ open: 1, busy: 0, abandoned: 0 });
    await agent.close();
    await vi.waitFor(() => expect(own.connections().open).toBe(0));
  });

  it('counts answers still being written, and those the client abandoned', async () => {
    own.script('sk-h', hang());
    const controller = new AbortController();
    const pending = send('sk-h', controller.signal).catch(() => 'aborted');
    await vi.waitFor(() => expect(own.connections()).toMatchObject({ open: 1, busy: 1 }));
    controller.abort();
    expect(await pending).toBe('aborted');
    await vi.waitFor(() => expect(own.connections()).toMatchObject({ busy: 0, abandoned: 1 }));
    own.reset();
    expect(own.connections().abandoned).toBe(0);
  });

  it('does not count connections the server dropped itself as abandoned', async () => {
    own.script('sk-d', dropBeforeFirstByte());
    await expect(send('sk-d')).rejects.toThrow();
    expect(own.connections()).toMatchObject({ busy: 0, abandoned: 0 });
  });
});
