import type { Account } from '../core/account.js';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../observability/logger.js';
import { type HeaderFamily, parseRateLimitHeaders } from '../ratelimit/index.js';
import type { AccountUsagePort, SchedulerPort } from './gateway-ports.js';

/**
 * Acts on an answer's rate-limit headers (OpenAI, Anthropic) as soon as its head arrives, whatever
 * its status: they feed a predicted limit, which keeps every other request off the account when
 * nothing is left until a reset — or when the calls sent since this one (`call`) use what was left;
 * a success's headers also feed the account's quota (ordering, quota protection).
 */
export function observeRateLimitHeaders(
  deps: { accounts: AccountUsagePort; scheduler: SchedulerPort; clock: Clock; logger: Logger },
  options: {
    account: Account;
    model: string;
    head: { status: number; headers: Record<string, string | string[] | undefined> };
    /** The family of rate-limit headers the account's provider sends (its adapter's), or null. */
    rateLimitHeaders: HeaderFamily | null;
    /** The number the scheduler gave the answered call. */
    call: number | undefined;
  },
): void {
  const { account, model, head } = options;
  const now = deps.clock.now();
  const reading = parseRateLimitHeaders({ family: options.rateLimitHeaders, headers: head.headers, now });
  if (reading === null) return;
  const { quota, requests } = reading;
  if (quota !== null && head.status < 400)
    deps.accounts.recordQuota(account.id, model, { ...quota, observedAt: now, source: 'headers' });
  const observation = {
    accountId: account.id,
    model,
    quota,
    requests,
    source: 'rate-limit-headers' as const,
  };
  deps.scheduler
    .recordPredictedLimit(options.call === undefined ? observation : { ...observation, call: options.call })
    .catch((error: unknown) =>
      deps.logger.error({ err: error, account: account.email }, 'could not record a predicted limit'),
    );
}
