/**
 * The one list of provider kinds: one line per provider folder. Everything keyed by kind derives
 * from it — the `ProviderKind` type, the zod enums of the admin API, the store and the CLI, the
 * OAuth kinds, the scheduler's bit per kind, warmup defaults, the UI's account form and the
 * gateway's adapters (`registry.ts`). It imports only the descriptors, which load no adapter code.
 */
import { anthropicProvider } from './anthropic/anthropic-provider.js';
import { codeAssistProvider } from './code-assist/code-assist-provider.js';
import { geminiProvider } from './gemini/gemini-provider.js';
import { openAIProvider } from './openai/openai-provider.js';

export const PROVIDERS = [openAIProvider, anthropicProvider, codeAssistProvider, geminiProvider] as const;

/** Upstream API family an account talks to. */
export type ProviderKind = (typeof PROVIDERS)[number]['kind'];

/** Every provider kind, in registry order (a non-empty tuple, as zod enums want). */
export const PROVIDER_KINDS = PROVIDERS.map((provider) => provider.kind) as [ProviderKind, ...ProviderKind[]];

/** Provider kinds whose accounts can use OAuth (sign-in, refresh tokens, `oauth.clients`). */
export const OAUTH_PROVIDER_KINDS: readonly ProviderKind[] = PROVIDERS.filter(
  (provider) => provider.auth.oauth,
).map((provider) => provider.kind);

/** The descriptor of a kind. */
export function providerDescriptor(kind: ProviderKind): (typeof PROVIDERS)[number] {
  const descriptor = PROVIDERS.find((provider) => provider.kind === kind);
  if (!descriptor) throw new Error(`unknown provider kind ${kind}`);
  return descriptor;
}
