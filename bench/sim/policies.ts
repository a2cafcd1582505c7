import { BASELINE_POLICIES } from './baselines.js';
import type { PolicyDescriptor } from './scheduling-policy.js';
import { switchyardPolicy } from './switchyard-policies.js';

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
