/** What the account form needs to know about each provider kind: the descriptors of the gateway's provider list. */
import { PROVIDERS as DESCRIPTORS } from '@contracts';
import type { ProviderKind } from '../api/types.js';

export interface ProviderInfo {
  kind: ProviderKind;
  title: string;
  /** What an empty base URL means: the provider's public default (README, "Provider kinds"). */
  baseUrlPlaceholder: string;
  /** Whether accounts of this kind are added with an API key (code-assist takes OAuth only). */
  apiKey: boolean;
}

export const PROVIDERS: readonly ProviderInfo[] = DESCRIPTORS.map((descriptor) => ({
  kind: descriptor.kind,
  title: descriptor.title,
  baseUrlPlaceholder: descriptor.baseUrlPlaceholder,
  apiKey: descriptor.auth.apiKey,
}));

export function providerInfo(kind: ProviderKind): ProviderInfo {
  return PROVIDERS.find((provider) => provider.kind === kind) ?? (PROVIDERS[0] as ProviderInfo);
}
