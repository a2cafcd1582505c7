/**
 * What the gateway needs from its collaborators, stated as narrow interfaces so the attempt loop
 * can be tested with real modules or small fakes alike.
 */
import type { Account, ModelQuota, ProviderKind } from '../core/account.js';
import type { UpstreamRequest } from '../providers/provider-adapter.js';
import type { SendOptions } from '../providers/upstream-client.js';
import type { FailureClassification, LockDecision } from '../ratelimit/index.js';
import type { QuotaObservation } from '../scheduler/limit-records.js';
import type { AccountDecision, PickDecision, PickRequest } from '../scheduler/pick.js';

export interface SchedulerPort {
  /** Picks the account for one attempt and applies the decision's effects to the shared state. */
  select(request: PickRequest & { providers?: ReadonlySet<ProviderKind> }): Promise<PickDecision>;
  /**
   * Classifies an upstream failure and locks the account (or model) as the rate-limit rules say;
   * `via` (how the account was chosen) decides whether this request may wait out a short pause.
   */
  recordFailure(input: {
    accountId: string;
    model: string;
    status: number;
    headers: Record<string, string | string[] | undefined>;
    body: unknown;
    via: AccountDecision['via'];
  }): Promise<RecordedFailure>;
  /**
   * Before re-sending to the same account after a pause: null when it is locked for the model now
   * (rotate instead), else the resend's call number (counted against the account's request budget).
   */
  claimResend(accountId: string, model: string): Promise<number | null>;
  /** Clears the account's failure count and a guessed (backoff) account-level lock. */
  recordSuccess(input: { accountId: string; model: string }): Promise<void>;
  /**
   * Records an answer's rate-limit headers: locks the account for the model until the reset when
   * nothing is left, or when the calls sent since the answered one use what was left.
   */
  recordPredictedLimit(observation: QuotaObservation): Promise<unknown>;
}

export interface AccountUsagePort {
  get(id: string): Account | undefined;
  list(): readonly Account[];
  recordQuota(id: string, model: string, quota: ModelQuota): void;
  touchLastUsed(id: string, at: number): void;
  /** Remembers that the upstream asks the user to verify the account at `url` (shown in the UI). */
  markVerificationRequired?(id: string, url: string): void;
}

/** What the rate-limit tracker concluded about one failure. */
export interface RecordedFailure {
  classification: FailureClassification;
  decision: LockDecision;
}

/** An upstream answer whose body has not been read yet; the body is read once, whole or as chunks. */
export interface UpstreamAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** Read once: chunk by chunk, or whole (`bytes`). */
  body: AsyncIterable<Buffer> & { bytes(): Promise<Buffer> };
}

/** Sends one upstream request (`UpstreamClient` in production: pooled connections, fallback URLs). */
export interface UpstreamPort {
  /** Resolves with the answer's head; rejects when the upstream cannot be reached or times out. */
  send(request: UpstreamRequest, options: SendOptions): Promise<UpstreamAnswer>;
}
