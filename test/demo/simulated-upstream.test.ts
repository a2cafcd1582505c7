import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/core/clock.js';
import { SimulatedAccountPolicy } from '../../src/simulator/simulated-account-policy.js';
import { type SimulatedUpstream, startSimulatedUpstream } from '../../src/simulator/simulated-upstream.js';
import { httpCall } from '../support/http-call.js';
import { sampleChat, sampleMessages } from '../support/sample-requests.js';

let upstream: SimulatedUpstream | undefined;
afterEach(async () => {
  await upstream?.close();
  upstream = undefined;
});

async function start(clock: FakeClock, options: { limit: number; failureRate?: number }) {
  const policy = (seed: number) =>
    new SimulatedAccountPolicy({
      tier: 'FREE',
      requestsPerMinute: options.limit,
      failureRate: options.failureRate,
      seed,
    });
  upstream = await startSimulatedUpstream({
    clock,
    accounts: [
      { name: 'a@demo', apiKey: 'sim-a', policy: policy(1) },
      { name: 'b@demo', apiKey: 'sim-b', policy: policy(2) },
    ],
  });
  return upstream;
}

function openaiChat(url: string, key: string) {
  return httpCall(`${url}/v1/chat/completions`, {
    headers: { authorization: `Bearer ${key}` },
    body: sampleChat('hello there'),
  });
}

describe('startSimulatedUpstream', () => {
  it('answers within the per-minute limit with rate-limit headers, then 429 with Retry-After until the window frees', async () => {
    const clock = new FakeClock();
    const { url } = await start(clock, { limit: 2 });
    const first = await openaiChat(url, 'sim-a');
    expect(first.status).toBe(200);
    expect(first.headers['x-ratelimit-limit-requests']).toBe('2');
    expect(first.headers['x-ratelimit-remaining-requests']).toBe('1');
    await clock.advance(15_000);
    expect((await openaiChat(url, 'sim-a')).headers['x-ratelimit-remaining-requests']).toBe('0');
    const refused = await openaiChat(url, 'sim-a');
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBe('45');
    expect(refused.json).toMatchObject({ error: { code: 'rate_limit_exceeded' } });
    // The limit is per account: another key is still answered.
    expect((await openaiChat(url, 'sim-b')).status).toBe(200);
    await clock.advance(45_000);
    expect((await openaiChat(url, 'sim-a')).status).toBe(200);
  });

  it('renders the same decisions in the Anthropic wire format', async () => {
    const clock = new FakeClock();
    const { url } = await start(clock, { limit: 1 });
    const call = () =>
      httpCall(`${url}/v1/messages`, {
        headers: { 'x-api-key': 'sim-b', 'anthropic-version': '2023-06-01' },
        body: sampleMessages('hello there'),
      });
    const answered = await call();
    expect(answered.status).toBe(200);
    expect(answered.headers['anthropic-ratelimit-requests-remaining']).toBe('0');
    expect(answered.json).toMatchObject({ type: 'message', role: 'assistant' });
    const refused = await call();
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBe('60');
    expect(refused.json).toMatchObject({ type: 'error', error: { type: 'rate_limit_error' } });
  });

  it('fails requests with 500 or 503 at the failure rate and counts every outcome per account', async () => {
    const clock = new FakeClock();
    const { url } = await start(clock, { limit: 100, failureRate: 1 });
    const failed = await openaiChat(url, 'sim-a');
    expect([500, 503]).toContain(failed.status);
    expect(upstream?.stats()).toEqual({
      'a@demo': { answered: 0, rateLimited: 0, failed: 1 },
      'b@demo': { answered: 0, rateLimited: 0, failed: 0 },
    });
  });

  it('answers model lists without counting them, and refuses an unknown key with 401', async () => {
    const clock = new FakeClock();
    const { url } = await start(clock, { limit: 1 });
    const models = await httpCall(`${url}/v1/models`, { headers: { authorization: 'Bearer sim-a' } });
    expect(models.status).toBe(200);
    expect((await openaiChat(url, 'sim-a')).status).toBe(200);
    expect((await openaiChat(url, 'sk-unknown')).status).toBe(401);
    expect(upstream?.stats()['a@demo']).toEqual({ answered: 1, rateLimited: 0, failed: 0 });
  });
});
