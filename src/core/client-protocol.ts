/**
 * The names of the wire protocols clients speak to the gateway. Everything a protocol means — how
 * its requests are decoded, its answers and errors encoded, its sessions recognised — is in its
 * descriptor (`src/protocols/<name>/index.ts`), found through `src/protocols/registry.ts`.
 */
export type ClientProtocol = 'openai-chat' | 'openai-responses' | 'anthropic-messages' | 'gemini';

/** What the client asked for. */
export type Operation = 'generate' | 'count-tokens';

/** Which error shape a route speaks: that of a client protocol family, or the admin API's. */
export type ErrorDialect = 'openai' | 'anthropic' | 'gemini' | 'admin';
