/**
 * The stream relay with each provider's stream observer, fed the recorded upstream streams in
 * `src/providers/<kind>/__fixtures__` cut into small chunks (events and UTF-8 split across reads).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ProviderKind } from '../core/account.js';
import { parseSseText } from '../core/model/parse-sse-text.js';
import { CodeAssistContext } from '../providers/code-assist/code-assist-context.js';
import { createProviderRegistry } from '../providers/registry.js';
import { StreamRelay, TRUNCATED_STREAM_STATUS } from './stream-relay.js';

const providers = createProviderRegistry({ codeAssist: new CodeAssistContext() });

const fixture = (provider: ProviderKind, name: string) =>
  readFileSync(new URL(`../providers/${provider}/__fixtures__/${name}`, import.meta.url));

/** The bytes in `size`-byte reads, as an upstream body delivers them. */
async function* chunked(bytes: Buffer, size = 7): AsyncGenerator<Buffer> {
  for (let offset = 0; offset < bytes.length; offset += size) yield bytes.subarray(offset, offset + size);
}

/** A body that delivers `bytes`, then fails as a dropped connection does. */
async function* breaking(bytes: Buffer): AsyncGenerator<Buffer> {
  yield* chunked(bytes);
  throw new Error('socket hang up');
}

function relayOf(provider: ProviderKind, body: AsyncIterable<Buffer>): StreamRelay {
  const adapter = providers.get(provider)!;
  return new StreamRelay(body, adapter.createStreamObserver(), adapter.rewriteStreamEvent?.bind(adapter));
}

/** Everything the client gets: the bytes buffered up to the commit point, then the rest. */
async function relayed(relay: StreamRelay, buffered: Buffer[], failures: unknown[] = []): Promise<string> {
  const rest: Buffer[] = [];
  for await (const chunk of relay.rest((error) => {
    failures.push(error);
    return 'event: relay-failure\n\n';
  }))
    rest.push(chunk);
  return Buffer.concat([...buffered, ...rest]).toString('utf8');
}

/** What the provider's observer concludes from the whole stream, fed event by event. */
function observedWhole(provider: ProviderKind, bytes: Buffer) {
  const observer = providers.get(provider)!.createStreamObserver();
  for (const event of parseSseText(bytes.toString('utf8'))) observer.observe(event);
  return { usage: observer.usage(), signatures: observer.signatures?.() ?? [] };
}

const COMPLETE: Array<{ provider: ProviderKind; name: string }> = [
  { provider: 'openai', name: 'openai-chat-stream-text.sse' },
  { provider: 'openai', name: 'openai-chat-stream-reasoning.sse' },
  { provider: 'openai', name: 'openai-chat-stream-parallel-tools.sse' },
  { provider: 'anthropic', name: 'anthropic-stream-text.sse' },
  { provider: 'anthropic', name: 'anthropic-stream-thinking-tool-use.sse' },
  { provider: 'gemini', name: 'gemini-stream-text.sse' },
  { provider: 'gemini', name: 'gemini-stream-thought.sse' },
  { provider: 'gemini', name: 'gemini-stream-function-call.sse' },
  { provider: 'code-assist', name: 'code-assist-stream.sse' },
];

describe.each(COMPLETE)('a recorded $provider stream ($name)', ({ provider, name }) => {
  const bytes = fixture(provider, name);

  it('commits at the first output, then relays the whole stream and nothing else', async () => {
    const relay = relayOf(provider, chunked(bytes));
    const peeked = await relay.peek();
    expect(peeked.kind).toBe('content');
    const failures: unknown[] = [];
    const output = await relayed(relay, peeked.kind === 'content' ? peeked.buffered : [], failures);
    expect(failures).toEqual([]);
    if (provider === 'code-assist') {
      // Code Assist wraps each Gemini answer in `{response: …}`: the client gets the Gemini answers.
      const unwrapped = parseSseText(bytes.toString('utf8')).map(
        (event) => (JSON.parse(event.data) as { response: unknown }).response,
      );
      expect(parseSseText(output).map((event) => JSON.parse(event.data))).toEqual(unwrapped);
    } else {
      expect(output).toBe(bytes.toString('utf8'));
    }
  });

  it('reads the same usage and signatures as the whole stream holds, however it is split', async () => {
    const relay = relayOf(provider, chunked(bytes, 3));
    const peeked = await relay.peek();
    await relayed(relay, peeked.kind === 'content' ? peeked.buffered : []);
    const whole = observedWhole(provider, bytes);
    expect(whole.usage).not.toBeNull();
    expect(relay.usage()).toEqual(whole.usage);
    expect(relay.signatures()).toEqual(whole.signatures);
  });

  it('ends a stream that breaks off after the commit point with the failure event', async () => {
    const cut = bytes.subarray(0, Math.floor(bytes.length * 0.8));
    const relay = relayOf(provider, breaking(cut));
    expect((await relay.peek()).kind).toBe('content');
    const failures: unknown[] = [];
    const output = await relayed(relay, [], failures);
    expect(failures).toEqual([expect.objectContaining({ message: 'socket hang up' })]);
    expect(output.endsWith('event: relay-failure\n\n')).toBe(true);
  });
});

describe('an upstream error reported in the stream', () => {
  it.each([
    { provider: 'openai' as const, name: 'openai-chat-stream-error.sse' },
    { provider: 'anthropic' as const, name: 'anthropic-stream-error.sse' },
  ])('before any output ($provider) is a failed attempt, never relayed', async ({ provider, name }) => {
    const relay = relayOf(provider, chunked(fixture(provider, name)));
    const peeked = await relay.peek();
    expect(peeked).toMatchObject({ kind: 'error', message: expect.stringContaining('before any output') });
    expect(peeked.kind === 'error' && peeked.status >= 500).toBe(true);
  });

  it('after output (gemini) is relayed as the upstream sent it, and ends the stream', async () => {
    const bytes = fixture('gemini', 'gemini-stream-error.sse');
    const relay = relayOf('gemini', chunked(bytes));
    const peeked = await relay.peek();
    expect(peeked.kind).toBe('content');
    const failures: unknown[] = [];
    const output = await relayed(relay, peeked.kind === 'content' ? peeked.buffered : [], failures);
    expect(output).toBe(bytes.toString('utf8'));
    expect(failures).toEqual([]);
  });
});

describe('a stream that ends before the protocol says it is complete', () => {
  const text = fixture('openai', 'openai-chat-stream-text.sse');
  const events = text.toString('utf8').split('\n\n');

  it('is a failed attempt (bad gateway) when it ends before any output', async () => {
    const relay = relayOf('openai', chunked(Buffer.from(`${events[0]}\n\n`)));
    expect(await relay.peek()).toMatchObject({ kind: 'error', status: TRUNCATED_STREAM_STATUS });
  });

  it('ends with the failure event when it ends after the commit point', async () => {
    const beforeFinish = events.findIndex((event) => event.includes('"finish_reason":"stop"'));
    const relay = relayOf(
      'openai',
      chunked(Buffer.from(`${events.slice(0, beforeFinish).join('\n\n')}\n\n`)),
    );
    expect((await relay.peek()).kind).toBe('content');
    const failures: unknown[] = [];
    const output = await relayed(relay, [], failures);
    expect(failures).toHaveLength(1);
    expect(output.endsWith('event: relay-failure\n\n')).toBe(true);
  });
});

it('stops reading the upstream body when cancelled', async () => {
  let returned = false;
  async function* body(): AsyncGenerator<Buffer> {
    try {
      yield* chunked(fixture('anthropic', 'anthropic-stream-text.sse'));
    } finally {
      returned = true;
    }
  }
  const relay = relayOf('anthropic', body());
  expect((await relay.peek()).kind).toBe('content');
  await relay.cancel();
  expect(returned).toBe(true);
});
