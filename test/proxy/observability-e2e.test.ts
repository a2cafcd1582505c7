import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GatewayHarness, startGateway } from '../support/gateway-harness.js';
import { type MockUpstream, ok, rateLimited, startMockUpstream } from '../support/mock-upstream.js';

let upstream: MockUpstream;
let gateway: GatewayHarness;

beforeAll(async () => {
  upstream = await startMockUpstream();
  gateway = await startGateway({
    accounts: [
      { provider: 'openai', email: 'first@example.com', api_key: 'sk-first', base_url: `${upstream.url}/v1` },
      {
        provider: 'openai',
        email: 'second@example.com',
        api_key: 'sk-second',
        base_url: `${upstream.url}/v1`,
      },
    ],
  });
});

afterAll(async () => {
  await gateway?.close();
  await upstream?.close();
});

interface LogRow {
  status: number;
  account_email: string | null;
  attempts: number;
  accounts_tried: string[];
  client_model: string;
  mapped_model: string;
  input_tokens: number;
  session_id: string | null;
}

describe('request log and metrics', () => {
  it('logs each proxied request with the account, attempts, tokens and session', async () => {
    await gateway.call('PUT', '/api/proxy/fixed-account', {
      body: { account_id: gateway.accountIds['first@example.com'] },
    });
    upstream.script('sk-first', rateLimited({ retryAfter: '30' }));
    const answer = await gateway.call('POST', '/v1/chat/completions', {
      body: { model: 'gpt-4o', messages: [{ role: 'user', content: 'please log this request in detail' }] },
    });
    expect(answer.status).toBe(200);
    const logs = await gateway.call('GET', '/api/logs');
    const rows = (logs.json as { logs: LogRow[] }).logs;
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      status: 200,
      account_email: 'second@example.com',
      attempts: 2,
      accounts_tried: ['first@example.com', 'second@example.com'],
      client_model: 'gpt-4o',
      mapped_model: 'gpt-4o',
    });
    expect(rows[0]!.input_tokens).toBeGreaterThan(0);
    expect(rows[0]!.session_id).toMatch(/^sid-[0-9a-f]{16}$/);
  });

  it('exposes Prometheus metrics', async () => {
    const metrics = await gateway.call('GET', '/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.text).toMatch(/switchyard_requests_total\{[^}]*account="second@example.com"[^}]*\} 1/);
    expect(metrics.text).toMatch(/switchyard_locks_active 1/);
    expect(metrics.text).toContain(
      'switchyard_locks_by_source{source="retry-after",reason="RateLimitExceeded"} 1',
    );
  });

  it('exposes a predicted limit, with its source, in the rate limits and the metrics', async () => {
    upstream.script('sk-second', ok({ rateLimitHeaders: { remaining: 0, limit: 50, reset: 600 } }));
    await gateway.call('PUT', '/api/proxy/fixed-account', {
      body: { account_id: gateway.accountIds['second@example.com'] },
    });
    const answer = await gateway.call('POST', '/v1/chat/completions', {
      body: { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'the last request of the window' }] },
    });
    expect(answer.headers['x-account-email']).toBe('second@example.com');
    const limits = await gateway.call('GET', '/api/proxy/rate-limits');
    expect((limits.json as { rate_limits: unknown[] }).rate_limits).toContainEqual(
      expect.objectContaining({
        account_email: 'second@example.com',
        scope: 'model',
        model: 'gpt-4o-mini',
        source: 'rate-limit-headers',
        predicted: true,
      }),
    );
    const metrics = await gateway.call('GET', '/metrics');
    expect(metrics.text).toContain(
      'switchyard_locks_by_source{source="rate-limit-headers",reason="RateLimitExceeded"} 1',
    );
  });
});
