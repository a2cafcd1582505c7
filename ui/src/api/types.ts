/**
 * The admin API types the UI uses, all taken from the server's own contract (one source of truth):
 * the zod schemas of `src/admin/`, reached through the `@contracts` alias.
 */
export type {
  AccountQuotaRefresh,
  AccountView,
  CreateAccountBody,
  CreateKeyBody,
  FixedAccountState,
  ImportResult,
  IssuedKeyView,
  KeyLimitsBody,
  LogPage,
  MappingTestResult,
  ModelAvailabilityView,
  OAuthCompleteBody,
  OAuthCompleteResult,
  OAuthLoginStatusView,
  OAuthStartResult,
  PatchAccountBody,
  PatchKeyBody,
  PriceListView,
  ProviderKind,
  ProxyStatus,
  PublicAccount,
  PublicClientKey,
  PublicModelQuota,
  QuotaRefreshOutcomeView,
  QuotaRefreshSummaryView,
  RateLimitView,
  RequestLogRecord,
  SchedulingMode,
  SchedulingSettings,
  SwitchyardConfig,
  Tier,
  UsageGroupView,
  UsageReportView,
  UsageTotalsView,
  WarmupStatus,
  WarmupTargetView,
} from '@contracts';

/** A deep-partial config document for `PUT /api/config`. */
export type ConfigPatch = { [key: string]: unknown };
