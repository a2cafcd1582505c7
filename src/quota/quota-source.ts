import type { Account, Tier } from '../core/account.js';
import type { AuthorizedCredential } from '../providers/provider-adapter.js';

/** One model's quota as a provider's quota API reports it. */
export interface ReportedQuota {
  /** Remaining share, 0..1. */
  remainingFraction: number;
  /** When it resets (epoch ms), when stated. */
  resetAt: number | null;
}

/** What one quota read found. */
export interface QuotaReading {
  /** Quota per model id. */
  models: Record<string, ReportedQuota>;
  /** The account's tier, when the read learned it and the source did not store it itself. */
  tier?: Tier | null;
}

/**
 * A provider's quota API (Code Assist `fetchAvailableModels`, …). Providers without one have no
 * source; their quota comes from rate-limit headers on responses only.
 */
export interface QuotaSource {
  /** Whether this source can read the account's quota. */
  supports(account: Account): boolean;
  /**
   * Reads the account's quota with `credential`. Throws on failure; an error with `status: 401`
   * makes the refresher force one token refresh and read again.
   */
  read(account: Account, credential: AuthorizedCredential): Promise<QuotaReading>;
}
