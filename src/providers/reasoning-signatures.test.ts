/**
 * Every adapter whose upstream signs reasoning reports the signatures of an answer (streamed or
 * JSON), so the gateway can remember which family issued them. Fed by recorded fixtures.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ProviderKind } from '../core/account.js';
import { parseSseText } from '../core/model/parse-sse-text.js';
import { CodeAssistContext } from './code-assist/code-assist-context.js';
import { createProviderRegistry } from './registry.js';

const providers = createProviderRegistry({ codeAssist: new CodeAssistContext() });

const fixture = (path: string) => readFileSync(new URL(`./${path}`, import.meta.url), 'utf8');

function streamSignatures(kind: ProviderKind, sse: string): readonly string[] {
  const observer = providers.get(kind)!.createStreamObserver();
  for (const event of parseSseText(sse)) observer.observe(event);
  return observer.signatures?.() ?? [];
}

const GEMINI_THOUGHT_SIGNATURE = /"thoughtSignature": ?"([^"]+)"/;

describe('reasoning signatures of an answer', () => {
  it('Anthropic stream: the signature assembled from signature_delta events', () => {
    expect(
      streamSignatures('anthropic', fixture('anthropic/__fixtures__/anthropic-stream-thinking-tool-use.sse')),
    ).toEqual(['EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds']);
  });

  it('Anthropic stream: a signature split over several deltas, and redacted thinking data', () => {
    const events = [
      {
        type: 'content_block_start',
        index: 0,
        content_block: { type: 'thinking', thinking: '', signature: '' },
      },
      { type: 'content_block_delta', index: 0, delta: { type: 'signature_delta', signature: 'Eq' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'signature_delta', signature: 'QB' } },
      {
        type: 'content_block_start',
        index: 1,
        content_block: { type: 'redacted_thinking', data: 'Em-data' },
      },
      { type: 'content_block_start', index: 2, content_block: { type: 'text', text: '' } },
    ];
    const sse = events.map((event) => `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`).join('');
    expect(streamSignatures('anthropic', sse)).toEqual(['EqQB', 'Em-data']);
  });

  it('Anthropic JSON: thinking signatures and redacted data', () => {
    const json: unknown = JSON.parse(fixture('anthropic/__fixtures__/anthropic-response-tool-use.json'));
    expect(providers.get('anthropic')!.signaturesFromJson?.(json)).toEqual([
      'EuYBCkQYAiJA1x2y3z',
      'EmwKAhgBEgy3va3pzix/LafPsn4aDFIT2Xlxh0L5L8rLVyIwxtE3rAFBa8cr3qpP',
    ]);
  });

  it('Gemini stream and JSON: every thoughtSignature', () => {
    const sse = fixture('gemini/__fixtures__/gemini-stream-thought.sse');
    expect(streamSignatures('gemini', sse)).toEqual([GEMINI_THOUGHT_SIGNATURE.exec(sse)?.[1]]);
    const text = fixture('gemini/__fixtures__/gemini-response-function-call.json');
    expect(providers.get('gemini')!.signaturesFromJson?.(JSON.parse(text))).toEqual([
      GEMINI_THOUGHT_SIGNATURE.exec(text)?.[1],
    ]);
  });

  it('Code Assist stream: the signatures inside the {response} wrapper', () => {
    const sse = fixture('code-assist/__fixtures__/code-assist-stream.sse');
    expect(streamSignatures('code-assist', sse)).toEqual([GEMINI_THOUGHT_SIGNATURE.exec(sse)?.[1]]);
  });

  it('OpenAI-compatible answers carry none', () => {
    expect(
      streamSignatures('openai', fixture('openai/__fixtures__/openai-chat-stream-reasoning.sse')),
    ).toEqual([]);
  });
});
