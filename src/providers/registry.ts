import type { ProviderKind } from '../core/account.js';
import type { ClientProtocol } from '../core/client-protocol.js';
import { anthropicAdapter } from './anthropic/anthropic-adapter.js';
import { createCodeAssistAdapter } from './code-assist/code-assist-adapter.js';
import { codeAssistContext } from './code-assist/code-assist-context.js';
import { geminiAdapter } from './gemini/gemini-adapter.js';
import { openAIAdapter } from './openai/openai-adapter.js';
import type { ProviderAdapter } from './provider-adapter.js';

/** Provider kinds the gateway can send requests to, by kind. */
export const PROVIDERS: Partial<Record<ProviderKind, ProviderAdapter>> = {
  openai: openAIAdapter,
  anthropic: anthropicAdapter,
  gemini: geminiAdapter,
  'code-assist': createCodeAssistAdapter(codeAssistContext),
};

export function providerFor(kind: ProviderKind): ProviderAdapter | undefined {
  return PROVIDERS[kind];
}

/** Provider kinds that serve `protocol` without translation. */
export function passThroughKinds(protocol: ClientProtocol): ReadonlySet<ProviderKind> {
  const kinds = new Set<ProviderKind>();
  for (const adapter of Object.values(PROVIDERS))
    if (adapter.nativeProtocol === protocol) kinds.add(adapter.kind);
  return kinds;
}
