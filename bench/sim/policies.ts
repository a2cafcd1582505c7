import { BASELINE_POLICIES } from './baselines.js';
import type { PolicyDescriptor } from './scheduling-policy.js';
import { previousRulesPolicy, switchyardPolicy } from './switchyard-policies.js';

/**
 * Every policy of a run, in table order: Switchyard's three modes without and with quota
 * protection at `protectionPercentage`, then the baselines.
 */
export function allPolicies(protectionPercentage: number): PolicyDescriptor[] {
  const modes = ['Balance', 'CacheFirst', 'PerformanceFirst'] as const;
  return [
    ...modes.map((mode) => switchyardPolicy({ mode, protectionPercentage: null })),
    ...modes.map((mode) => switchyardPolicy({ mode, protectionPercentage })),
    ...BASELINE_POLICIES,
  ];
}

/**
 * The policies of the per-window scenario: Switchyard's three modes, Balance under the rate-limit
 * rules before issue 10, then the baselines (the naive key-rotating client first).
 */
export function perWindowPolicies(): PolicyDescriptor[] {
  const modes = ['Balance', 'CacheFirst', 'PerformanceFirst'] as const;
  return [
    ...modes.map((mode) => switchyardPolicy({ mode, protectionPercentage: null })),
    previousRulesPolicy({ mode: 'Balance', protectionPercentage: null, name: 'Balance (rules before #10)' }),
    ...BASELINE_POLICIES,
  ];
}
