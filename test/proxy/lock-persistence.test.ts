import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { startGateway } from '../support/gateway-harness.js';
import { type MockUpstream, rateLimited, startMockUpstream } from '../support/mock-upstream.js';

let upstream: MockUpstream | undefined;
let dataDir: string | undefined;

afterEach(async () => {
  await upstream?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

const chat = {
  model: 'gpt-4o',
  messages: [{ role: 'user', content: 'a conversation that survives a restart' }],
};

it('keeps rate-limit locks across a restart, so an exhausted account is not hit again', async () => {
  upstream = await startMockUpstream();
  dataDir = await mkdtemp(join(tmpdir(), 'switchyard-locks-'));
  const accounts = ['sk-first', 'sk-second'].map((key) => ({
    provider: 'openai' as const,
    email: `${key}@example.com`,
    api_key: key,
    base_url: `${upstream!.url}/v1`,
  }));
  const first = await startGateway({ dataDir, accounts });
  await first.call('PUT', '/api/proxy/fixed-account', {
    body: { account_id: first.accountIds['sk-first@example.com'] },
  });
  upstream.script('sk-first', rateLimited({ retryAfter: '600' }));
  expect((await first.call('POST', '/v1/chat/completions', { body: chat })).status).toBe(200);
  await first.close();

  const second = await startGateway({ dataDir });
  try {
    const limits = await second.call('GET', '/api/proxy/rate-limits');
    const list = (limits.json as { rate_limits: { account_email: string; remaining_seconds: number }[] })
      .rate_limits;
    expect(list).toEqual([expect.objectContaining({ account_email: 'sk-first@example.com' })]);
    expect(list[0]!.remaining_seconds).toBeGreaterThan(500);
    const hits = upstream.hits('sk-first');
    for (let turn = 0; turn < 3; turn++) {
      const answer = await second.call('POST', '/v1/chat/completions', { body: chat });
      expect(answer.headers['x-account-email']).toBe('sk-second@example.com');
    }
    expect(upstream.hits('sk-first')).toBe(hits);
  } finally {
    await second.close();
  }
});
