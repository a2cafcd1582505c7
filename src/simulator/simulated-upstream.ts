/**
 * The upstream of `switchyard demo`: one simulated provider endpoint (OpenAI at `${url}/v1`,
 * Anthropic at `${url}`, Gemini at `${url}` — the same server and wire formats as the test rig's
 * mock upstream) holding several accounts, each an API key with its own `SimulatedAccountPolicy`.
 *
 * Every generation request is decided by its account's policy: a normal answer carrying the
 * provider's rate-limit headers (requests remaining in the minute), a 429 with `Retry-After` until
 * the window frees a slot, or a 500/503. Requests that list models or count tokens are always
 * answered and never counted. An unknown API key gets a 401.
 *
 * ```ts
 * const upstream = await startSimulatedUpstream({
 *   clock: systemClock,
 *   accounts: [{ name: 'free@demo', apiKey: 'sim-free', policy: new SimulatedAccountPolicy({ tier: 'FREE', requestsPerMinute: 5 }) }],
 * });
 * // an account { provider: 'openai', base_url: `${upstream.url}/v1`, api_key: 'sim-free' } now works
 * await upstream.close();
 * ```
 */
import type { Clock } from '../core/clock.js';
import { type RandomSource, seededRandom } from './seeded-random.js';
import type { SimulatedAccountPolicy } from './simulated-account-policy.js';
import { startUpstreamServer, type UpstreamRequest } from './upstream-server.js';
import { type Behaviour, ok, rateLimited, serverError, unauthorized } from './wire/behaviours.js';

/** One account of the simulated provider. */
export interface SimulatedAccount {
  /** Who the account is, for `stats()` (e.g. `free-1@demo`). */
  name: string;
  /** The credential its requests carry (Bearer, `x-api-key` or `x-goog-api-key`). */
  apiKey: string;
  policy: SimulatedAccountPolicy;
}

/** How one account's generation requests ended so far. */
export interface SimulatedAccountStats {
  answered: number;
  rateLimited: number;
  failed: number;
}

export interface SimulatedUpstreamOptions {
  accounts: readonly SimulatedAccount[];
  /** Time of each request as the policies see it. */
  clock: Clock;
  /**
   * Range of the pause before an answer's first byte, ms (drawn per request); the stream events
   * are spread over about half as long again. Default `{ min: 0, max: 0 }`: no pause.
   */
  latencyMs?: { min: number; max: number };
  /** Seed of the latency draws. Default 1. */
  seed?: number;
  /** Port on 127.0.0.1; default 0 (an ephemeral port). */
  port?: number;
}

/** A running simulated provider. */
export interface SimulatedUpstream {
  /** Base URL without trailing slash; OpenAI accounts use `${url}/v1`. */
  readonly url: string;
  /** Outcomes of the generation requests per account name. */
  stats(): Record<string, SimulatedAccountStats>;
  /** Stops the server and destroys open connections. */
  close(): Promise<void>;
}

function decide(options: {
  account: SimulatedAccount;
  request: UpstreamRequest;
  random: RandomSource;
  latencyMs: { min: number; max: number };
}): Behaviour {
  const { account, request, latencyMs } = options;
  const decision = account.policy.decide(request.time);
  switch (decision.kind) {
    case 'answer': {
      const firstByteDelayMs = Math.round(latencyMs.min + options.random() * (latencyMs.max - latencyMs.min));
      return ok({
        firstByteDelayMs,
        chunkDelayMs: Math.round(firstByteDelayMs / 6),
        rateLimitHeaders: {
          limit: decision.limit,
          remaining: decision.remaining,
          reset: decision.resetSeconds,
        },
      });
    }
    case 'rate-limited':
      return rateLimited({
        retryAfter: String(decision.retryAfterSeconds),
        resetHeaders: { limit: decision.limit, remaining: 0, reset: decision.retryAfterSeconds },
        message: `Simulated rate limit: ${decision.limit} requests per minute on ${account.name}. Try again in ${decision.retryAfterSeconds} s.`,
      });
    case 'server-error':
      return serverError(decision.status, `Simulated upstream failure on ${account.name}.`);
  }
}

/** Starts the simulated provider on 127.0.0.1. */
export async function startSimulatedUpstream(options: SimulatedUpstreamOptions): Promise<SimulatedUpstream> {
  const byKey = new Map(options.accounts.map((account) => [account.apiKey, account]));
  const counts = new Map(
    options.accounts.map((account) => [account.name, { answered: 0, rateLimited: 0, failed: 0 }]),
  );
  const random = seededRandom(options.seed ?? 1);
  const latencyMs = options.latencyMs ?? { min: 0, max: 0 };
  const server = await startUpstreamServer({
    clock: options.clock,
    port: options.port,
    answer(request) {
      const account = request.key === null ? undefined : byKey.get(request.key);
      if (account === undefined) return unauthorized('Unknown API key for the simulated upstream.');
      if (request.operation !== 'generate') return ok();
      const behaviour = decide({ account, request, random, latencyMs });
      const count = counts.get(account.name);
      if (count) {
        if (behaviour.type === 'ok') count.answered++;
        else if (behaviour.type === 'error' && behaviour.error.kind === 'rate-limited') count.rateLimited++;
        else count.failed++;
      }
      return behaviour;
    },
  });
  return {
    url: server.url,
    stats: () => Object.fromEntries([...counts].map(([name, count]) => [name, { ...count }])),
    close: () => server.close(),
  };
}
