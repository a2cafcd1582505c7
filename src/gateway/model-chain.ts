import { type ErrorCode, isSwitchyardError, type SwitchyardError } from '../core/errors.js';
import type { ProxyResponse } from './proxy-request.js';

/**
 * Whether a request that failed on one model may be served by the next model of its chain: only
 * when the pool could not serve this model (every account limited, protected, failing, or not
 * serving it); never for the client's own errors, which every model would answer alike.
 */
const MOVES_ON: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'all_accounts_limited',
  'no_account_available',
  'upstream_unreachable',
  'upstream_unavailable',
  'upstream_error',
  'upstream_timeout',
  'model_not_found',
]);

function movesOn(error: unknown): error is SwitchyardError {
  if (!isSwitchyardError(error)) return false;
  return MOVES_ON.has(error.code);
}

/** Errors that only say the model is not in the pool: a limit met on an earlier model says more. */
function onlyNotServed(error: SwitchyardError): boolean {
  return (
    error.code === 'model_not_found' ||
    (error.code === 'no_account_available' &&
      ['model-not-served', 'no-accounts'].includes(String(error.details?.['reason'])))
  );
}

/**
 * Serves a request from the first model of `models` that the pool can serve (a fallback chain,
 * `proxy.custom_mapping` or a model alias): `attempt` runs the whole attempt loop for one model, and
 * only when it fails because no account could serve that model does the next model get its turn
 * (`onFallback` is told). When every model fails, the most telling error is thrown: the last one,
 * unless it only says the model is not in the pool and an earlier model met a real limit.
 */
export async function walkModelChain(options: {
  models: readonly string[];
  /** Aliases: move on only when the pool does not serve the model at all (never past a limit). */
  onlyWhenNotServed?: boolean;
  attempt(model: string): Promise<ProxyResponse>;
  onFallback(change: { from: string; to: string; error: SwitchyardError }): void;
}): Promise<ProxyResponse> {
  const { models } = options;
  let telling: SwitchyardError | null = null;
  for (let index = 0; ; index++) {
    const model = models[index] ?? '';
    try {
      return await options.attempt(model);
    } catch (error) {
      const next = models[index + 1];
      if (!movesOn(error) || (options.onlyWhenNotServed === true && !onlyNotServed(error))) throw error;
      if (next === undefined) throw telling !== null && onlyNotServed(error) ? telling : error;
      if (!onlyNotServed(error)) telling = error;
      options.onFallback({ from: model, to: next, error });
    }
  }
}
