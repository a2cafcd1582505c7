/**
 * What the gateway, the admin API, the CLI and the UI know about one provider kind, exported by its
 * folder (`src/providers/<kind>/<kind>-provider.ts`) and listed once in `provider-kinds.ts`.
 * Descriptors import nothing at load time but types: the web UI reads them through the admin
 * contract, and the adapter (with its Node-only code) is loaded only when the gateway builds its
 * registry.
 */
import type { CodeAssistContext } from './code-assist/code-assist-context.js';
import type { ProviderAdapter } from './provider-adapter.js';

/** What adapters may need from the composition root beyond the account (configured endpoints, identities). */
export interface ProviderContext {
  codeAssist: CodeAssistContext;
}

/** Builds one gateway's adapter of a kind from the composition root's context. */
export type AdapterFactory = (context: ProviderContext) => ProviderAdapter;

export interface ProviderDescriptor<Kind extends string = string> {
  /** The name accounts, request logs and the admin API carry. */
  kind: Kind;
  /** The name the UI shows. */
  title: string;
  /** What an empty base URL means, shown as the form's placeholder (README, "Provider kinds"). */
  baseUrlPlaceholder: string;
  /** How accounts of this kind authenticate: an API key, OAuth (sign-in, refresh tokens, `oauth.clients`), or both. */
  auth: { apiKey: boolean; oauth: boolean };
  /** The small model a warmup sends to an account with no `models` list, when the account serves it. */
  warmupModel: string;
  /** Loads the adapter module and returns how to build the adapter (`ProviderRegistry` calls it once per process). */
  loadAdapter(): Promise<AdapterFactory>;
}
