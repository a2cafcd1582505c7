/** What the account form needs to know about each provider kind. */
import type { ProviderKind } from '../api/types.js';

export interface ProviderInfo {
  kind: ProviderKind;
  title: string;
  /** What an empty base URL means: the provider's public default (README, "Provider kinds"). */
  baseUrlPlaceholder: string;
  /** Whether accounts of this kind are added with an API key (code-assist takes OAuth only). */
  apiKey: boolean;
}

export const PROVIDERS: readonly ProviderInfo[] = [
  {
    kind: 'openai',
    title: 'OpenAI-compatible',
    baseUrlPlaceholder: 'https://api.openai.com/v1',
    apiKey: true,
  },
  { kind: 'anthropic', title: 'Anthropic', baseUrlPlaceholder: 'https://api.anthropic.com', apiKey: true },
  {
    kind: 'gemini',
    title: 'Gemini',
    baseUrlPlaceholder: 'https://generativelanguage.googleapis.com',
    apiKey: true,
  },
  {
    kind: 'code-assist',
    title: 'Google Code Assist (OAuth)',
    baseUrlPlaceholder: 'default: the code_assist.base_urls of the config',
    apiKey: false,
  },
];

export function providerInfo(kind: ProviderKind): ProviderInfo {
  return PROVIDERS.find((provider) => provider.kind === kind) ?? (PROVIDERS[0] as ProviderInfo);
}
