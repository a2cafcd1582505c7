import type { PolicyMetrics } from './metrics-recorder.js';
import { allPolicies } from './policies.js';
import type { PolicyDescriptor } from './scheduling-policy.js';
import type { Capacity, SimulationParameters } from './sim-parameters.js';
import { capacityOf } from './sim-parameters.js';
import { type GatewayResend, runSimulation } from './simulation.js';
import { switchyardPolicy } from './switchyard-policies.js';
import { generateWorkload, type Workload } from './workload.js';

/** The results of every policy at one load point. */
export interface LoadPointResult {
  /** Capacity over offered load (1.25: the workload uses 80 % of the capacity). */
  capacityOverLoad: number;
  conversations: number;
  offeredRequestsPerMinute: number;
  results: PolicyMetrics[];
  /** `Balance+protect` at each threshold of the sweep, percent → metrics. */
  thresholdSweep: { thresholdPercentage: number; metrics: PolicyMetrics }[];
  /** Variants of `Balance+protect` that show the effect of a proposed change. */
  whatIf: { change: string; metrics: PolicyMetrics }[];
}

/** Everything one benchmark run produced. */
export interface BenchmarkResult {
  parameters: SimulationParameters;
  capacity: Capacity;
  /** The quota-protection threshold of the `+protect` policies, percent. */
  protectionPercentage: number;
  /** What each policy of the main tables is. */
  policies: { name: string; description: string }[];
  loadPoints: LoadPointResult[];
}

export interface BenchmarkOptions {
  parameters: SimulationParameters;
  /** Capacity-over-load ratios to run, e.g. [1.25, 1, 0.8]. */
  capacityOverLoad: readonly number[];
  protectionPercentage: number;
  /** Thresholds (percent) at which `Balance+protect` is run again; empty for none. */
  sweepPercentages: readonly number[];
  /** Called after each simulation run (progress output). */
  onResult?: (result: { capacityOverLoad: number; metrics: PolicyMetrics }) => void;
}

/** One simulation of a load point, reported through `onResult`. */
type RunAt = (policy: PolicyDescriptor, gatewayResend?: GatewayResend) => Promise<PolicyMetrics>;

/**
 * Runs every policy at every load point, each on the same seeded workload of its load point; then
 * the threshold sweep and the what-if variants of `Balance+protect`.
 */
export async function runBenchmark(options: BenchmarkOptions): Promise<BenchmarkResult> {
  const capacity = capacityOf(options.parameters);
  const loadPoints: LoadPointResult[] = [];
  for (const capacityOverLoad of options.capacityOverLoad) {
    const parameters = { ...options.parameters, capacityOverLoad };
    const workload: Workload = generateWorkload(parameters, capacity);
    const runAt: RunAt = async (policy, gatewayResend = 'recheck') => {
      const metrics = await runSimulation({ parameters, workload, policy, gatewayResend });
      options.onResult?.({ capacityOverLoad, metrics });
      return metrics;
    };
    const results: PolicyMetrics[] = [];
    for (const policy of allPolicies(options.protectionPercentage)) results.push(await runAt(policy));
    const thresholdSweep = [];
    for (const thresholdPercentage of options.sweepPercentages) {
      const policy = switchyardPolicy({ mode: 'Balance', protectionPercentage: thresholdPercentage });
      thresholdSweep.push({ thresholdPercentage, metrics: await runAt(policy) });
    }
    loadPoints.push({
      capacityOverLoad,
      conversations: workload.conversations.length,
      offeredRequestsPerMinute: workload.offeredRequestsPerMinute,
      results,
      thresholdSweep,
      whatIf: await whatIf(runAt, options.protectionPercentage),
    });
  }
  return {
    parameters: options.parameters,
    capacity,
    protectionPercentage: options.protectionPercentage,
    policies: allPolicies(options.protectionPercentage).map(({ name, description }) => ({
      name,
      description,
    })),
    loadPoints,
  };
}

/**
 * `Balance+protect` as the gateway behaved before it re-checked locks: it re-sent to an account
 * after a grace pause or a second wait without asking whether another request had locked it.
 * (The scheduler's last-used window, which once also applied to new conversations with a session
 * id, now applies only to requests without one, in every run.)
 */
async function whatIf(runAt: RunAt, protectionPercentage: number): Promise<LoadPointResult['whatIf']> {
  const base = { mode: 'Balance', protectionPercentage } as const;
  return [
    {
      change: 'previous gateway: resend without re-checking locks',
      metrics: await runAt(switchyardPolicy({ ...base, name: 'Balance+protect (old resend)' }), 'previous'),
    },
  ];
}
