import type { Account } from '../core/account.js';
import { CredentialError } from '../providers/auth/credential-provider.js';
import type { AuthorizedCredential, ProviderAdapter } from '../providers/provider-adapter.js';
import type { AccountDecision } from '../scheduler/pick.js';
import {
  type AttemptOutcome,
  attemptUpstream,
  type CommittedAttempt,
  type FailedAttempt,
} from './attempt.js';
import type { GatewayDependencies } from './gateway.js';
import type { RecordedFailure } from './gateway-ports.js';
import { observeRateLimitHeaders } from './observe-rate-limit-headers.js';
import type { ProxyRequest } from './proxy-request.js';
import type { HistoryMode, ReasoningReplay } from './reasoning/reasoning-replay.js';
import type { RequestTrace } from './request-trace.js';
import { scrubFailure } from './scrub-failure.js';
import type { RequestTranslator } from './translation/request-translator.js';

/** What one account's attempt uses of the gateway's dependencies. */
export type AttemptDependencies = Pick<
  GatewayDependencies,
  'accounts' | 'scheduler' | 'credentials' | 'upstream' | 'config' | 'clock' | 'logger'
>;

/**
 * One request on its way through the attempt loop. Built once per model with every field spelled
 * out (no spreads or rest copies: those put the hot objects in dictionary mode and were the largest
 * self time of the gateway in the CPU profile).
 */
export interface RunContext {
  request: ProxyRequest;
  model: string;
  trace: RequestTrace;
  translator: RequestTranslator;
  /** The reasoning the request replays, adapted to each attempt's account. */
  reasoning: ReasoningReplay;
  /** The accounts the request's client key may use; null for any. */
  allowedAccounts: ReadonlySet<string> | null;
}

/** One account tried for a request: the request's context and what the scheduler chose. */
export interface AccountAttempt {
  context: RunContext;
  account: Account;
  adapter: ProviderAdapter;
  via: AccountDecision['via'];
  /** The call number the scheduler gave this attempt. */
  call: number | undefined;
}

/** How one send of an attempt goes out (the account's call number, a forced refresh, the history). */
interface SendSettings {
  call: number | undefined;
  forceRefresh: boolean;
  history: HistoryMode;
}

/**
 * One account: authorize, send, record a failure with the rate-limit tracker (which locks the
 * account for any stated delay), and — only when the tracker allows it (CacheFirst, the session's
 * or the pinned account, a short pause) — wait until that lock ends and retry once here.
 */
export async function tryAccount(
  deps: AttemptDependencies,
  target: AccountAttempt,
): Promise<CommittedAttempt | (FailedAttempt & { recorded: RecordedFailure })> {
  const { account, via, context } = target;
  const { request, trace } = context;
  let call = target.call;
  let graceUsed = false;
  let refreshed = false;
  let history: HistoryMode = 'checked';
  for (;;) {
    trace.tried(account);
    const outcome = await sendOnce(deps, target, { call, forceRefresh: refreshed, history });
    if (outcome.kind === 'committed') return outcome;
    // Reasoning the upstream could not verify: resend with the history repaired, once per account.
    // Not an account failure: nothing is recorded or locked.
    if (history === 'checked' && context.reasoning.repairs(target.adapter, outcome)) {
      history = 'repaired';
      continue;
    }
    // An OAuth access token can be revoked before it expires: refresh once and retry here.
    if (
      outcome.status === 401 &&
      account.credential.type === 'oauth' &&
      !refreshed &&
      !outcome.credentialFailure
    ) {
      refreshed = true;
      continue;
    }
    const recorded = await deps.scheduler.recordFailure({
      accountId: account.id,
      model: context.model,
      status: outcome.status,
      headers: outcome.upstreamHeaders,
      body: outcome.body,
      via,
    });
    deps.logger.warn(
      {
        requestId: request.id,
        account: account.email,
        status: outcome.status,
        reason: recorded.classification.reason,
      },
      `attempt failed: ${outcome.message}`,
    );
    if (recorded.classification.validationUrl) {
      deps.accounts.markVerificationRequired?.(account.id, recorded.classification.validationUrl);
    }
    const graceMs = recorded.decision.graceRetryMs;
    if (graceUsed || graceMs === null) return { ...outcome, recorded };
    graceUsed = true;
    await deps.clock.sleep(graceMs, request.signal);
    // The pause ends with this failure's own lock; another request may have locked the account
    // for longer in the meantime: then rotate instead.
    const resend = await deps.scheduler.claimResend(account.id, context.model);
    if (resend === null) return { ...outcome, recorded };
    call = resend;
  }
}

async function sendOnce(
  deps: AttemptDependencies,
  target: AccountAttempt,
  settings: SendSettings,
): Promise<AttemptOutcome> {
  const config = deps.config().proxy;
  const { context, adapter } = target;
  let credential: AuthorizedCredential;
  try {
    credential = await deps.credentials.authorize(target.account, {
      forceRefresh: settings.forceRefresh,
    });
  } catch (error) {
    if (!(error instanceof CredentialError)) throw error;
    const failure: FailedAttempt = {
      kind: 'failed',
      status: 401,
      upstreamHeaders: {},
      body: null,
      message: error.message,
      credentialFailure: true,
    };
    return scrubFailure(failure, { account: target.account });
  }
  // Authorizing may have updated the account (a refreshed token, a discovered project): send with the latest.
  const account = deps.accounts.get(target.account.id) ?? target.account;
  const { model, request } = context;
  const outgoing = context.reasoning.outgoing(adapter, settings.history);
  const outcome = await attemptUpstream({
    account,
    adapter,
    credential,
    model,
    request,
    translation: outgoing.translation,
    body: outgoing.body,
    upstream: deps.upstream,
    clock: deps.clock,
    firstByteTimeoutMs: config.first_byte_timeout * 1000,
    idleTimeoutMs: config.request_timeout * 1000,
    observer: adapter.createStreamObserver(),
    onResponseHead: (head) =>
      observeRateLimitHeaders(deps, {
        account,
        model,
        head,
        rateLimitHeaders: adapter.rateLimitHeaders,
        call: settings.call,
      }),
  });
  return outcome.kind === 'failed' ? scrubFailure(outcome, { account, credential }) : outcome;
}
