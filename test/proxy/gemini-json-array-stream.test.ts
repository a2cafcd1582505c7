/**
 * Gemini's `streamGenerateContent` answers a streamed JSON array (`application/json`) when the
 * client does not ask for `alt=sse`, and SSE when it does. A Gemini client gets the framing it
 * asked for whichever account serves it: passed through from a Gemini account, or translated from
 * an OpenAI or Anthropic one; the content is the same either way, and a stream that breaks after
 * its first byte still ends as a parseable array whose last element is the error.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type GatewayHarness, startGateway } from '../support/gateway-harness.js';
import { dropMidStream, type MockUpstream, startMockUpstream } from '../support/mock-upstream.js';
import { parseSseJson } from '../support/parse-sse.js';

type Kind = 'gemini' | 'openai' | 'anthropic';
const KINDS: Kind[] = ['gemini', 'openai', 'anthropic'];

interface GeminiChunk {
  candidates?: Array<{ content?: { parts?: Array<{ text?: string }> } }>;
  error?: { code: number; message: string; status: string };
}

let upstream: MockUpstream;
let gateway: GatewayHarness;

beforeAll(async () => {
  upstream = await startMockUpstream();
  gateway = await startGateway({
    accounts: KINDS.map((kind) => ({
      provider: kind,
      email: `${kind}@example.com`,
      api_key: `only-${kind}`,
      base_url: kind === 'openai' ? `${upstream.url}/v1` : upstream.url,
      models: [`only-${kind}`],
    })),
  });
});

afterAll(async () => {
  await gateway?.close();
  await upstream?.close();
});

beforeEach(() => upstream.reset());

function stream(kind: Kind, query: string) {
  return gateway.call('POST', `/v1beta/models/only-${kind}:streamGenerateContent${query}`, {
    body: { contents: [{ role: 'user', parts: [{ text: 'Say hello' }] }] },
  });
}

const text = (chunks: GeminiChunk[]) =>
  chunks
    .flatMap((chunk) => chunk.candidates ?? [])
    .flatMap((candidate) => candidate.content?.parts ?? [])
    .map((part) => part.text ?? '')
    .join('');

describe.each(KINDS)('a Gemini client served by a %s account', (kind) => {
  it('gets a JSON array without alt=sse and SSE with it, carrying the same answer', async () => {
    const array = await stream(kind, '');
    const sse = await stream(kind, '?alt=sse');

    expect(array.status).toBe(200);
    expect(array.headers['content-type']).toMatch(/^application\/json/);
    const elements = JSON.parse(array.text) as GeminiChunk[];
    expect(Array.isArray(elements)).toBe(true);
    expect(sse.headers['content-type']).toMatch(/^text\/event-stream/);
    const events = parseSseJson(sse.text) as GeminiChunk[];
    expect(text(elements)).not.toBe('');
    expect(text(elements)).toBe(text(events));
    expect(elements).toHaveLength(events.length);
  });
});

describe('a JSON-array stream that breaks after its first byte', () => {
  it.each(['gemini', 'openai'] as const)('from a %s account: the array closes on the error', async (kind) => {
    upstream.script(`only-${kind}`, dropMidStream({ afterChunks: 2 }));

    const answer = await stream(kind, '');

    expect(answer.status).toBe(200);
    const elements = JSON.parse(answer.text) as GeminiChunk[];
    expect(elements.at(-1)?.error).toMatchObject({ code: expect.any(Number), message: expect.any(String) });
    expect(text(elements)).not.toBe('');
  });
});
