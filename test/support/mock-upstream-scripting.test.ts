import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/core/clock.js';
import { type HttpCallOptions, httpCall } from './http-call.js';
import { type MockUpstream, rateLimited, serverError, startMockUpstream } from './mock-upstream.js';
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
