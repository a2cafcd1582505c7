/** What the account form needs to know about each provider kind. */
import type { ProviderKind } from '../api/types.js';

export interface ProviderInfo {
  kind: ProviderKind;
  title: string;
  /** The provider's public default base URL (README, "Provider kinds"), shown as the placeholder. */
  defaultBaseUrl: string;
  /** Whether accounts of this kind are added with an API key (code-assist takes OAuth only). */
  apiKey: boolean;
}

export const PROVIDERS: readonly ProviderInfo[] = [
  { kind: 'openai', title: 'OpenAI-compatible', defaultBaseUrl: 'https://api.openai.com/v1', apiKey: true },
  { kind: 'anthropic', title: 'Anthropic', defaultBaseUrl: 'https://api.anthropic.com', apiKey: true },
  {
    kind: 'gemini',
    title: 'Gemini',
    defaultBaseUrl: 'https://generativelanguage.googleapis.com',
    apiKey: true,
  },
  {
    kind: 'code-assist',
    title: 'Google Code Assist (OAuth)',
    defaultBaseUrl: 'https://cloudcode-pa.googleapis.com',
    apiKey: false,
  },
];

export function providerInfo(kind: ProviderKind): ProviderInfo {
  return PROVIDERS.find((provider) => provider.kind === kind) ?? (PROVIDERS[0] as ProviderInfo);
}
