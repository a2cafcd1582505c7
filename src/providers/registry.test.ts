import { describe, expect, it } from 'vitest';
import { parseRateLimitHeaders } from '../ratelimit/index.js';
import { CodeAssistContext } from './code-assist/code-assist-context.js';
import { openAIAdapter } from './openai/openai-adapter.js';
import type { ProviderAdapter } from './provider-adapter.js';
import { PROVIDER_KINDS } from './provider-kinds.js';
import { createProviderRegistry, ProviderRegistry } from './registry.js';

describe('ProviderRegistry', () => {
  const providers = createProviderRegistry({ codeAssist: new CodeAssistContext() });

  it('holds one adapter per provider kind', () => {
    expect(providers.all().map((adapter) => adapter.kind)).toEqual([
      'openai',
      'anthropic',
      'code-assist',
      'gemini',
    ]);
    expect(providers.get('anthropic')?.nativeProtocol).toBe('anthropic-messages');
  });

  it('has an adapter for every kind of PROVIDER_KINDS (the descriptors of provider-kinds.ts) and no other', () => {
    expect([...providers.all().map((adapter) => adapter.kind)].sort()).toEqual([...PROVIDER_KINDS].sort());
  });

  it("carries each provider's rate-limit header family, which is what the headers are read with", () => {
    const families = providers.all().map((adapter) => [adapter.kind, adapter.rateLimitHeaders]);
    expect(Object.fromEntries(families)).toEqual({
      openai: 'openai',
      anthropic: 'anthropic',
      gemini: null,
      'code-assist': null,
    });
    const headers = { 'x-ratelimit-limit-requests': '10', 'x-ratelimit-remaining-requests': '0' };
    const read = (kind: 'openai' | 'gemini') =>
      parseRateLimitHeaders({ family: providers.get(kind)?.rateLimitHeaders ?? null, headers, now: 0 });
    expect(read('openai')?.quota?.remainingFraction).toBe(0);
    expect(read('gemini')).toBeNull();
  });

  it('groups Gemini and Code Assist accounts as Google for reasoning signatures', () => {
    const families = providers.all().map((adapter) => [adapter.kind, adapter.signatureFamily]);
    expect(Object.fromEntries(families)).toEqual({
      openai: 'openai',
      anthropic: 'anthropic',
      gemini: 'google',
      'code-assist': 'google',
    });
  });

  it('serves a protocol untranslated only from the kinds that speak it', () => {
    expect([...providers.passThroughKinds('gemini')]).toEqual(['code-assist', 'gemini']);
    expect([...providers.passThroughKinds('openai-responses')]).toEqual([]);
  });

  it('translates generate requests for every kind with a codec, count-tokens never', () => {
    expect([...providers.servingKinds({ protocol: 'openai-responses', operation: 'generate' })]).toEqual([
      'openai',
      'anthropic',
      'code-assist',
      'gemini',
    ]);
    expect([
      ...providers.servingKinds({ protocol: 'anthropic-messages', operation: 'count-tokens' }),
    ]).toEqual(['anthropic']);
  });

  it('serves only the native protocol of an adapter without a codec', () => {
    const { codec: _codec, ...nativeOnly } = openAIAdapter;
    const registry = new ProviderRegistry([nativeOnly]);
    expect([...registry.servingKinds({ protocol: 'gemini', operation: 'generate' })]).toEqual([]);
    expect([...registry.servingKinds({ protocol: 'openai-chat', operation: 'generate' })]).toEqual([
      'openai',
    ]);
  });

  it('refuses two adapters of one kind', () => {
    const twin: ProviderAdapter = { ...openAIAdapter };
    expect(() => new ProviderRegistry([openAIAdapter, twin])).toThrow(
      /two adapters for provider kind openai/,
    );
  });
});
