/**
 * The admin API types the UI uses, all taken from the server's own contracts (one source of truth):
 * zod schemas in `src/admin/`, the public account view of `src/store/`, the config schema.
 */
import type { z } from 'zod';
import type { accountQuotaRefresh, mappingTestResult } from '../../../src/admin/contracts.js';

export type {
  CreateAccountBody,
  FixedAccountState,
  ImportResult,
  OAuthCompleteBody,
  OAuthCompleteResult,
  OAuthLoginStatusView,
  OAuthStartResult,
  PatchAccountBody,
  ProxyStatus,
  QuotaRefreshOutcomeView,
  QuotaRefreshSummaryView,
  RateLimitView,
  SchedulingSettings,
} from '../../../src/admin/contracts.js';
export type {
  CreateKeyBody,
  IssuedKeyView,
  KeyLimitsBody,
  PatchKeyBody,
  PublicClientKey,
} from '../../../src/admin/key-contracts.js';
export type { LogPage, RequestLogRecord } from '../../../src/admin/log-contracts.js';
export type {
  PriceListView,
  UsageGroupView,
  UsageReportView,
  UsageTotalsView,
} from '../../../src/admin/usage-contracts.js';
export type { SchedulingMode, SwitchyardConfig } from '../../../src/config/schema.js';
export type { ProviderKind, Tier } from '../../../src/core/account.js';
export type { PublicAccount, PublicModelQuota } from '../../../src/store/public-account.js';

export type MappingTestResult = z.output<typeof mappingTestResult>;
export type AccountQuotaRefresh = z.output<typeof accountQuotaRefresh>;

/** A deep-partial config document for `PUT /api/config`. */
export type ConfigPatch = { [key: string]: unknown };
