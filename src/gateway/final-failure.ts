import type { Account } from '../core/account.js';
import { canServe } from '../core/account.js';
import { SwitchyardError } from '../core/errors.js';
import type { ClientProtocol } from '../providers/provider-adapter.js';
import type { PickDecision } from '../scheduler/pick.js';
import type { FailedAttempt } from './attempt.js';

/**
 * The error for a request no account could take at all: 429 with an honest Retry-After when every
 * candidate is limited, a clear 400 when only accounts of another protocol serve the model (until
 * translation is available), 503 otherwise — each naming the reason.
 */
export function noAccountError(
  decision: Exclude<PickDecision, { kind: 'account' | 'wait' }>,
  context: { model: string; protocol: ClientProtocol; accounts: readonly Account[]; now: number },
): SwitchyardError {
  if (decision.kind === 'all-limited') {
    return new SwitchyardError('all_accounts_limited', decision.message, {
      retryAfterSeconds: Math.max(1, Math.ceil(decision.retryAfterMs / 1000)),
    });
  }
  const servedElsewhere = context.accounts.some((account) => canServe(account, context.model));
  if (decision.reason === 'model-not-served' || decision.reason === 'no-accounts') {
    if (servedElsewhere) {
      return new SwitchyardError(
        'unsupported_translation',
        `No account of a matching protocol serves model ${context.model}: ${context.protocol} requests need an account of the same protocol`,
      );
    }
  }
  return new SwitchyardError('no_account_available', decision.message, {
    details: { reason: decision.reason },
  });
}

/** The error after every attempt failed, shaped after the last failure. */
export function finalFailure(options: {
  account: Account;
  failure: { status: number; message: string };
  lockUntil: number | null;
  attempts: number;
  now: number;
}): SwitchyardError {
  const { failure, account } = options;
  const summary = `All ${options.attempts} attempt(s) failed; the last one, on ${account.email}: ${failure.message}`;
  if (failure.status === 429) {
    const waitMs = options.lockUntil === null ? 60_000 : Math.max(1000, options.lockUntil - options.now);
    return new SwitchyardError('all_accounts_limited', summary, {
      retryAfterSeconds: Math.ceil(waitMs / 1000),
    });
  }
  if (failure.status === 0) return new SwitchyardError('upstream_timeout', summary, { status: 502 });
  const status = failure.status === 503 || failure.status === 529 ? 503 : 502;
  return new SwitchyardError('upstream_error', summary, { status });
}

/** An upstream client error on a translated request, in a form the client's protocol can carry. */
export function translatedClientError(outcome: Pick<FailedAttempt, 'status' | 'body'>): SwitchyardError {
  const body = outcome.body as { error?: { message?: unknown } | string | null; message?: unknown } | null;
  const upstreamMessage =
    typeof body?.error === 'object' && body.error !== null && typeof body.error.message === 'string'
      ? body.error.message
      : typeof body?.error === 'string'
        ? body.error
        : typeof body?.message === 'string'
          ? body.message
          : `upstream answered ${outcome.status}`;
  return new SwitchyardError('invalid_request', `Upstream rejected the request: ${upstreamMessage}`, {
    status: outcome.status,
  });
}
