/**
 * Usage and estimated cost: a scripted workload through the three protocols with two client keys
 * and the owner's key, whose usage the mock upstream reports exactly; what `/api/usage` answers
 * must be the sums of what the upstream reported, per key, per account and per model.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GatewayHarness, startGateway } from '../support/gateway-harness.js';
import { pick } from '../support/http-call.js';
import { ANY_KEY, type MockUpstream, ok, startMockUpstream } from '../support/mock-upstream.js';
import { createKey, familyAccounts, PROTOCOLS, send } from './key-rig.js';

interface Reported {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
}

interface Sent {
  key: string;
  account: string;
  model: string;
  usage: Reported;
}

/** Prices set in the config, so the expected cost does not depend on the shipped table. */
const PRICES = {
  'gpt-4o*': { input: 2, output: 8, cache_read: 1 },
  'claude-sonnet-4*': { input: 3, output: 15, cache_read: 0.3, cache_write: 3.75 },
  'gemini-2.5-pro*': { input: 1.25, output: 10, cache_read: 0.125 },
};
const PRICE_OF: Record<string, { input: number; output: number; cache_read: number; cache_write: number }> = {
  'gpt-4o': { ...PRICES['gpt-4o*'], cache_write: 2 },
  'claude-sonnet-4-5': PRICES['claude-sonnet-4*'],
  'gemini-2.5-pro': { ...PRICES['gemini-2.5-pro*'], cache_write: 1.25 },
};
const ACCOUNT_OF: Record<string, string> = {
  'OpenAI chat': 'openai@example.com',
  'Anthropic messages': 'anthropic@example.com',
  Gemini: 'gemini@example.com',
};
const MODEL_OF: Record<string, string> = {
  'OpenAI chat': 'gpt-4o',
  'Anthropic messages': 'claude-sonnet-4-5',
  Gemini: 'gemini-2.5-pro',
};

function cost(model: string, usage: Reported): number {
  const price = PRICE_OF[model]!;
  const uncached = usage.inputTokens - usage.cacheReadTokens - usage.cacheWriteTokens;
  return (
    (uncached * price.input +
      usage.cacheReadTokens * price.cache_read +
      usage.cacheWriteTokens * price.cache_write +
      usage.outputTokens * price.output) /
    1e6
  );
}

let upstream: MockUpstream;
let gateway: GatewayHarness;
const sent: Sent[] = [];

beforeAll(async () => {
  upstream = await startMockUpstream();
  gateway = await startGateway({
    config: { pricing: { models: PRICES } },
    accounts: familyAccounts(upstream),
  });
  const alice = await createKey(gateway, { name: 'alice' });
  const ci = await createKey(gateway, { name: 'ci' });
  const callers = [
    { name: 'alice', secret: alice.secret },
    { name: 'ci', secret: ci.secret },
    { name: 'owner key / no key', secret: gateway.apiKey },
  ];
  // 18 requests: every caller through every protocol, twice, each with its own reported usage.
  let step = 0;
  for (const round of [1, 2]) {
    for (const caller of callers) {
      for (const protocol of PROTOCOLS) {
        step += 1;
        const usage: Reported = {
          inputTokens: 1000 * step + 7,
          outputTokens: 100 * step + round,
          cacheReadTokens: 10 * step,
          // Only Anthropic reports cache writes.
          cacheWriteTokens: protocol.name === 'Anthropic messages' ? 5 * step : 0,
        };
        upstream.script(ANY_KEY, ok({ usage }));
        const answer = await send(gateway, protocol, caller.secret, `Turn ${step} of the workload.`);
        expect(answer.status, answer.text).toBe(200);
        sent.push({
          key: caller.name,
          account: ACCOUNT_OF[protocol.name]!,
          model: MODEL_OF[protocol.name]!,
          usage,
        });
      }
    }
  }
  // One refusal: counted as a request and an error of the key, with no tokens.
  await gateway.call('PATCH', `/api/keys/${ci.id}`, { body: { limits: { requests_per_minute: 1 } } });
  expect((await send(gateway, PROTOCOLS[0]!, ci.secret)).status).toBe(429);
  sent.push({
    key: 'ci',
    account: 'no account',
    model: 'gpt-4o',
    usage: { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 },
  });
}, 60_000);

afterAll(async () => {
  await gateway?.close();
  await upstream?.close();
});

function expectedBy(dimension: 'key' | 'account' | 'model') {
  const groups = new Map<
    string,
    { requests: number; input: number; output: number; cacheRead: number; cacheWrite: number; cost: number }
  >();
  for (const request of sent) {
    const label = request[dimension];
    const group = groups.get(label) ?? {
      requests: 0,
      input: 0,
      output: 0,
      cacheRead: 0,
      cacheWrite: 0,
      cost: 0,
    };
    group.requests += 1;
    group.input += request.usage.inputTokens;
    group.output += request.usage.outputTokens;
    group.cacheRead += request.usage.cacheReadTokens;
    group.cacheWrite += request.usage.cacheWriteTokens;
    group.cost += cost(request.model, request.usage);
    groups.set(label, group);
  }
  return groups;
}

describe('GET /api/usage', () => {
  it.each(['key', 'account', 'model'] as const)(
    'by %s equals the sums of what the upstream reported',
    async (by) => {
      const report = await gateway.call('GET', `/api/usage?by=${by}&since=24h`);
      expect(report.status, report.text).toBe(200);

      const groups = pick(report.json, 'groups') as Array<{ label: string; totals: Record<string, number> }>;
      const expected = expectedBy(by);
      expect(groups.map((group) => group.label).sort()).toEqual([...expected.keys()].sort());
      for (const group of groups) {
        const sums = expected.get(group.label)!;
        expect(group.totals).toMatchObject({
          requests: sums.requests,
          input_tokens: sums.input,
          output_tokens: sums.output,
          cache_read_tokens: sums.cacheRead,
          cache_write_tokens: sums.cacheWrite,
        });
        expect(group.totals['estimated_cost']).toBeCloseTo(sums.cost, 9);
      }
      expect(report.json).toMatchObject({
        estimated: true,
        currency: 'USD',
        bucket: 'hour',
        unpriced_models: [],
      });
    },
  );

  it('splits a group over the buckets of the range, the sums of its series being its totals', async () => {
    const report = await gateway.call('GET', '/api/usage?by=key&since=24h&bucket=hour');
    const groups = pick(report.json, 'groups') as Array<{
      totals: Record<string, number>;
      series: Array<Record<string, number>>;
    }>;

    expect(pick(report.json, 'buckets')).toHaveLength(25);
    for (const group of groups) {
      const fromSeries = group.series.reduce((sum, bucket) => sum + (bucket['input_tokens'] ?? 0), 0);
      expect(group.series).toHaveLength(25);
      expect(fromSeries).toBe(group.totals['input_tokens']);
    }
  });

  it('filters by key, and counts the refused request as an error of that key', async () => {
    const keys = await gateway.call('GET', '/api/keys');
    const ci = (pick(keys.json, 'keys') as Array<{ id: string; name: string }>).find(
      (key) => key.name === 'ci',
    )!;

    const report = await gateway.call('GET', `/api/usage?by=model&since=1d&key=${ci.id}`);

    expect(pick(report.json, 'totals', 'requests')).toBe(7);
    expect(pick(report.json, 'totals', 'errors')).toBe(1);
  });

  it('marks every request-log row with its client key', async () => {
    const logs = await gateway.call('GET', '/api/logs?limit=100');
    const rows = pick(logs.json, 'logs') as Array<{
      client_key_id: string | null;
      reasoning_tokens: number | null;
    }>;

    expect(rows).toHaveLength(sent.length);
    expect(rows.filter((row) => row.client_key_id === null)).toHaveLength(6);
    expect(new Set(rows.map((row) => row.client_key_id)).size).toBe(3);
  });

  it('serves the price table in force, configured entries marked', async () => {
    const prices = await gateway.call('GET', '/api/usage/prices');
    const entries = pick(prices.json, 'prices') as Array<{
      model: string;
      source: string;
      cache_write: number;
    }>;

    expect(entries.find((entry) => entry.model === 'gpt-4o*')).toMatchObject({
      source: 'config',
      cache_write: 2,
    });
    expect(entries.find((entry) => entry.model === 'o3*')).toMatchObject({ source: 'default' });
  });

  it('answers 400 naming the parameter for a bad query', async () => {
    const bad = await gateway.call('GET', '/api/usage?by=team&since=yesterday');

    expect(bad.status).toBe(400);
    expect(bad.text).toContain('by');
    expect(bad.text).toContain('since must be a span');
  });
});
