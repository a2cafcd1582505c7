/**
 * The admin API contract as one module: every schema and type a client of `/api` imports — the web
 * UI through its `@contracts` alias (`ui/tsconfig.json`, `ui/vite.config.ts`). It reaches neither
 * the store nor Node-only code, so the browser bundle can hold it; a test checks that the UI
 * imports nothing from `src/store/`.
 */
export type { SchedulingMode, SwitchyardConfig } from '../config/schema.js';
export type { ProviderKind, Tier } from '../core/account.js';
/** The UI's browser clock implements the same port as the server's. */
export type { Clock } from '../core/clock.js';
/** The provider kinds and what the account form shows of each (title, base URL placeholder, API key or OAuth). */
export { OAUTH_PROVIDER_KINDS, PROVIDER_KINDS, PROVIDERS } from '../providers/provider-kinds.js';
export * from './account-contracts.js';
export * from './contracts.js';
export * from './key-contracts.js';
export * from './log-contracts.js';
export * from './usage-contracts.js';
export * from './warmup-contracts.js';
