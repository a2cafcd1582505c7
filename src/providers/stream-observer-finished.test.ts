/**
 * Each adapter's stream observer tells a complete stream from one cut short: the gateway ends a
 * pass-through stream that stops before the protocol's end with an error event (stream-relay.ts).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ProviderKind } from '../core/account.js';
import { parseSseText } from '../core/model/parse-sse-text.js';
import { CodeAssistContext } from './code-assist/code-assist-context.js';
import { createProviderRegistry } from './registry.js';

const providers = createProviderRegistry({ codeAssist: new CodeAssistContext() });

const fixture = (path: string) => parseSseText(readFileSync(new URL(path, import.meta.url), 'utf8'));

/** Recorded streams, and a text only the event that ends each one carries. */
const CASES: { provider: ProviderKind; events: ReturnType<typeof parseSseText>; end: string }[] = [
  {
    provider: 'openai',
    events: fixture('./openai/__fixtures__/openai-chat-stream-text.sse'),
    end: '"finish_reason":"stop"',
  },
  {
    provider: 'anthropic',
    events: fixture('./anthropic/__fixtures__/anthropic-stream-text.sse'),
    end: 'message_stop',
  },
  {
    provider: 'gemini',
    events: fixture('./gemini/__fixtures__/gemini-stream-text.sse'),
    end: 'finishReason',
  },
  {
    provider: 'code-assist',
    events: fixture('./code-assist/__fixtures__/code-assist-stream.sse'),
    end: 'finishReason',
  },
];

describe.each(CASES)('$provider stream observer', ({ provider, events, end }) => {
  const observe = (count: number) => {
    const observer = providers.get(provider)!.createStreamObserver();
    for (const event of events.slice(0, count)) observer.observe(event);
    return observer;
  };

  it('sees a whole recorded stream as finished', () => {
    expect(observe(events.length).finished()).toBe(true);
  });

  it('sees the same stream cut before its ending event as cut short', () => {
    const ending = events.findIndex((event) => event.data.includes(end));
    expect(ending).toBeGreaterThan(0);
    expect(observe(ending).finished()).toBe(false);
  });
});

it('an in-band error ends a stream (no second error event is owed)', () => {
  const observer = providers.get('anthropic')!.createStreamObserver();
  observer.observe({ event: 'error', data: '{"type":"error","error":{"type":"overloaded_error"}}' });
  expect(observer.finished()).toBe(true);
});
