import type { Account } from '../core/account.js';
import { SwitchyardError } from '../core/errors.js';
import type { PickDecision } from '../scheduler/pick.js';
import type { FailedAttempt } from './attempt.js';

/**
 * The error for a request no account could take at all: 429 with an honest Retry-After when every
 * candidate is limited, 503 otherwise — each naming the reason.
 */
export function noAccountError(
  decision: Exclude<PickDecision, { kind: 'account' | 'wait' }>,
): SwitchyardError {
  if (decision.kind === 'all-limited') {
    return new SwitchyardError('all_accounts_limited', decision.message, {
      retryAfterSeconds: Math.max(1, Math.ceil(decision.retryAfterMs / 1000)),
    });
  }
  return new SwitchyardError('no_account_available', decision.message, {
    details: { reason: decision.reason },
  });
}

/**
 * The error after every attempt failed, shaped after the last failure: limited (429, Retry-After
 * until its lock ends), unreachable (502), timed out (504), unavailable (503 for the upstream's 503
 * and 529), or a bad answer (502). When each account tried answered that it does not know the model
 * (`modelNotFound`), a 404 `model_not_found`: the model, not the pool, is at fault.
 */
export function finalFailure(options: {
  account: Account;
  model: string;
  failure: Pick<FailedAttempt, 'status' | 'message' | 'timedOut'>;
  lockUntil: number | null;
  attempts: number;
  modelNotFound: boolean;
  now: number;
}): SwitchyardError {
  const { failure, account } = options;
  if (options.modelNotFound) {
    return new SwitchyardError(
      'model_not_found',
      `Model ${options.model} is not served by any account of the pool (the last one tried, ${account.email}: ${failure.message})`,
    );
  }
  const summary = `All ${options.attempts} attempt(s) failed; the last one, on ${account.email}: ${failure.message}`;
  if (failure.status === 429) {
    const waitMs = options.lockUntil === null ? 60_000 : Math.max(1000, options.lockUntil - options.now);
    return new SwitchyardError('all_accounts_limited', summary, {
      retryAfterSeconds: Math.ceil(waitMs / 1000),
    });
  }
  if (failure.status === 0)
    return new SwitchyardError(failure.timedOut ? 'upstream_timeout' : 'upstream_unreachable', summary);
  if (failure.status === 503 || failure.status === 529)
    return new SwitchyardError('upstream_unavailable', summary);
  return new SwitchyardError('upstream_error', summary);
}

/** What upstreams say when a prompt is longer than the model takes (lower case). */
const TOO_LONG_PHRASES = [
  'prompt is too long',
  'context_length_exceeded',
  'maximum context length',
  'input token count',
  'exceeds the maximum number of tokens',
  'too many tokens',
];

/**
 * Whether an upstream client error says the prompt is too long: Anthropic "prompt is too long",
 * OpenAI `context_length_exceeded`, Google "The input token count (…) exceeds the maximum number of
 * tokens allowed".
 */
export function isPromptTooLong(outcome: Pick<FailedAttempt, 'status' | 'body'>): boolean {
  if (outcome.status !== 400 && outcome.status !== 413) return false;
  const text = (
    typeof outcome.body === 'string' ? outcome.body : JSON.stringify(outcome.body ?? '')
  ).toLowerCase();
  return TOO_LONG_PHRASES.some((phrase) => text.includes(phrase));
}

/**
 * An upstream client error on a translated request, in a form the client's protocol can carry. A
 * prompt that is too long becomes `context_length_exceeded` (400) with a message that starts
 * "prompt is too long", the words Claude Code compacts its context on; Codex reads the code.
 */
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
  if (isPromptTooLong(outcome)) {
    return new SwitchyardError('context_length_exceeded', `prompt is too long: ${upstreamMessage}`);
  }
  return new SwitchyardError('upstream_rejected', `Upstream rejected the request: ${upstreamMessage}`, {
    upstreamStatus: outcome.status,
  });
}
