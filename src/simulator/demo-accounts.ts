/**
 * The four accounts of `switchyard demo`: mixed tiers, small per-minute limits so that rate limits
 * show up within a minute of gentle traffic, and one account that fails now and then.
 * `demoAccounts()` turns the table into simulator accounts (key + policy) and the matching gateway
 * accounts.
 *
 * They are all OpenAI-compatible accounts: OpenAI caches prompts implicitly, so every conversation
 * shows cache reads when it stays on its account, whichever client it comes from (Anthropic clients
 * are translated). An Anthropic account would report cache reads only for requests that carry
 * `cache_control` markers, which translated OpenAI requests do not.
 */
import type { ProviderKind, Tier } from '../core/account.js';
import type { NewAccountInput } from '../store/account-patch.js';
import { SimulatedAccountPolicy } from './simulated-account-policy.js';
import type { SimulatedAccount } from './simulated-upstream.js';

/** One demo account as the table describes it. */
export interface DemoAccountSpec {
  email: string;
  /** Which wire format the gateway uses to reach it (the simulator speaks all of them). */
  provider: Extract<ProviderKind, 'openai' | 'anthropic'>;
  tier: Tier;
  requestsPerMinute: number;
  /** Share of requests answered with 500/503. */
  failureRate: number;
}

export const DEMO_ACCOUNTS: readonly DemoAccountSpec[] = [
  { email: 'ultra@demo', provider: 'openai', tier: 'ULTRA', requestsPerMinute: 30, failureRate: 0 },
  { email: 'pro@demo', provider: 'openai', tier: 'PRO', requestsPerMinute: 15, failureRate: 0.1 },
  { email: 'free-1@demo', provider: 'openai', tier: 'FREE', requestsPerMinute: 8, failureRate: 0 },
  { email: 'free-2@demo', provider: 'openai', tier: 'FREE', requestsPerMinute: 8, failureRate: 0 },
];

/** A demo account on both sides: what the simulator enforces and what the gateway stores. */
export interface DemoAccount {
  spec: DemoAccountSpec;
  simulated: SimulatedAccount;
  /** Needs the simulator's URL: call it once the simulator listens. */
  gatewayInput(upstreamUrl: string): NewAccountInput;
}

/** The demo accounts with their policies; `seed` varies the failure pattern (default 1). */
export function demoAccounts(specs: readonly DemoAccountSpec[] = DEMO_ACCOUNTS, seed = 1): DemoAccount[] {
  return specs.map((spec, index) => {
    const apiKey = `sim-${spec.email.replace(/[^a-z0-9]+/gi, '-')}-key`;
    const policy = new SimulatedAccountPolicy({
      tier: spec.tier,
      requestsPerMinute: spec.requestsPerMinute,
      failureRate: spec.failureRate,
      seed: seed + index,
    });
    return {
      spec,
      simulated: { name: spec.email, apiKey, policy },
      gatewayInput: (upstreamUrl) => ({
        provider: spec.provider,
        email: spec.email,
        baseUrl: spec.provider === 'openai' ? `${upstreamUrl}/v1` : upstreamUrl,
        credential: { type: 'api_key', apiKey },
        tier: spec.tier,
        label: `simulated, ${spec.requestsPerMinute}/min${spec.failureRate > 0 ? `, fails ${Math.round(spec.failureRate * 100)} %` : ''}`,
      }),
    };
  });
}
