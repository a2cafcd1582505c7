/**
 * `count_tokens` (Anthropic) and `countTokens` (Gemini) for every upstream kind: forwarded to an
 * account that has the endpoint (an Anthropic account for Anthropic clients, a Gemini account for
 * Gemini clients), otherwise answered with the gateway's local estimate (`x-token-count: estimate`),
 * which stays close to what the upstream counts for the same text.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type GatewayHarness, startGateway } from '../support/gateway-harness.js';
import { type MockUpstream, startMockUpstream } from '../support/mock-upstream.js';

const PROSE = [
  'The harbour master kept a ledger of every ship that entered the bay, noting its cargo, its crew and',
  'the weather on the day it arrived. Over forty years the ledger grew into a history of the town: the',
  'years of plenty when grain ships queued at the breakwater, the hard winters when ice closed the channel',
  'for weeks, and the spring storms that scattered fishing boats along the northern cliffs. Visitors who',
  'asked to see it were surprised by how much it said about ordinary lives, not only about trade.',
  'Children learned to read from its columns of names, and old sailors came to find the dates of their',
  'first voyages. When the harbour finally closed, the ledger went to the library, where it is still the',
  'most requested book in the reading room, consulted by historians, novelists and curious families.',
].join(' ');
const SYSTEM =
  'You are a careful archivist who answers questions about local maritime history in plain English.';
const TOOL = {
  name: 'search_ledger',
  description: 'Search the harbour ledger for entries that mention a ship, a person or a date.',
  schema: {
    type: 'object',
    properties: { query: { type: 'string', description: 'Words to look for' } },
    required: ['query'],
  },
};

const anthropicBody = (model: string) => ({
  model,
  system: SYSTEM,
  tools: [{ name: TOOL.name, description: TOOL.description, input_schema: TOOL.schema }],
  messages: [{ role: 'user', content: PROSE }],
});
const geminiBody = {
  systemInstruction: { parts: [{ text: SYSTEM }] },
  tools: [
    { functionDeclarations: [{ name: TOOL.name, description: TOOL.description, parameters: TOOL.schema }] },
  ],
  contents: [{ role: 'user', parts: [{ text: PROSE }] }],
};

let upstream: MockUpstream;
let gateway: GatewayHarness;

beforeAll(async () => {
  upstream = await startMockUpstream();
  gateway = await startGateway({
    accounts: [
      // Model families decide which accounts serve a request: claude-* only on Anthropic,
      // gemini-* only on Gemini, anything on the OpenAI account.
      {
        provider: 'anthropic',
        email: 'anthropic@count.test',
        api_key: 'sk-ant-count',
        base_url: upstream.url,
        models: ['claude-*'],
      },
      {
        provider: 'gemini',
        email: 'gemini@count.test',
        api_key: 'AIza-count',
        base_url: upstream.url,
        models: ['gemini-*'],
      },
      { provider: 'openai', email: 'openai@count.test', api_key: 'sk-count', base_url: `${upstream.url}/v1` },
    ],
  });
});
afterAll(async () => {
  await gateway?.close();
  await upstream?.close();
});
beforeEach(() => upstream.reset());

interface Counted {
  tokens: number;
  estimated: boolean;
  upstreamCalls: number;
}

async function anthropicCount(model: string): Promise<Counted> {
  const answer = await gateway.call('POST', '/v1/messages/count_tokens', { body: anthropicBody(model) });
  expect(answer.status).toBe(200);
  expect(answer.json).toMatchObject({ input_tokens: expect.any(Number) });
  return {
    tokens: (answer.json as { input_tokens: number }).input_tokens,
    estimated: answer.headers['x-token-count'] === 'estimate',
    upstreamCalls: upstream.requests.length,
  };
}

async function geminiCount(model: string): Promise<Counted> {
  const answer = await gateway.call('POST', `/v1beta/models/${model}:countTokens`, { body: geminiBody });
  expect(answer.status).toBe(200);
  expect(answer.json).toMatchObject({ totalTokens: expect.any(Number) });
  return {
    tokens: (answer.json as { totalTokens: number }).totalTokens,
    estimated: answer.headers['x-token-count'] === 'estimate',
    upstreamCalls: upstream.requests.length,
  };
}

describe('Anthropic count_tokens', () => {
  it('is forwarded to an Anthropic account when one serves the model', async () => {
    const counted = await anthropicCount('claude-sonnet-4-5');
    expect(counted).toMatchObject({ estimated: false, upstreamCalls: 1 });
    expect(upstream.requests[0]).toMatchObject({ path: '/v1/messages/count_tokens', key: 'sk-ant-count' });
    expect(counted.tokens).toBeGreaterThan(0);
  });

  it('is estimated locally when only OpenAI or Gemini accounts serve the model', async () => {
    for (const model of ['gpt-5', 'gemini-2.5-pro']) {
      upstream.reset();
      expect(await anthropicCount(model)).toMatchObject({ estimated: true, upstreamCalls: 0 });
    }
  });

  it('estimates within a sane range of what the upstream counts for the same request', async () => {
    const counted = (await anthropicCount('claude-sonnet-4-5')).tokens;
    const estimated = (await anthropicCount('gpt-5')).tokens;
    expect(estimated / counted).toBeGreaterThan(0.7);
    expect(estimated / counted).toBeLessThan(1.3);
  });
});

describe('Gemini countTokens', () => {
  it('is forwarded to a Gemini account when one serves the model', async () => {
    const counted = await geminiCount('gemini-2.5-pro');
    expect(counted).toMatchObject({ estimated: false, upstreamCalls: 1 });
    expect(upstream.requests[0]).toMatchObject({
      path: '/v1beta/models/gemini-2.5-pro:countTokens',
      key: 'AIza-count',
    });
  });

  it('is estimated locally when only OpenAI or Anthropic accounts serve the model', async () => {
    for (const model of ['gpt-5', 'claude-sonnet-4-5']) {
      upstream.reset();
      expect(await geminiCount(model)).toMatchObject({ estimated: true, upstreamCalls: 0 });
    }
  });

  it('estimates within a sane range of what the upstream counts for the same request', async () => {
    const counted = (await geminiCount('gemini-2.5-pro')).tokens;
    const estimated = (await geminiCount('gpt-5')).tokens;
    expect(estimated / counted).toBeGreaterThan(0.7);
    expect(estimated / counted).toBeLessThan(1.3);
  });
});
