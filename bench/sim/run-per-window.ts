import type { PolicyMetrics } from './metrics-recorder.js';
import { perWindowPolicies } from './policies.js';
import type { Capacity, PerWindowVariant, SimulationParameters } from './sim-parameters.js';
import { capacityOf } from './sim-parameters.js';
import { runSimulation } from './simulation.js';
import { generateWorkload } from './workload.js';

/** Every policy on one variant of the per-window scenario. */
export interface PerWindowResult {
  name: string;
  parameters: SimulationParameters;
  capacity: Capacity;
  conversations: number;
  offeredRequestsPerMinute: number;
  results: PolicyMetrics[];
}

/** Runs every per-window policy on each variant, on the same seeded workload per variant. */
export async function runPerWindow(options: {
  variants: readonly PerWindowVariant[];
  /** Called after each simulation run (progress output). */
  onResult?: (result: { variant: string; metrics: PolicyMetrics }) => void;
}): Promise<PerWindowResult[]> {
  const results: PerWindowResult[] = [];
  for (const { name, parameters } of options.variants) {
    const capacity = capacityOf(parameters);
    const workload = generateWorkload(parameters, capacity);
    const metrics: PolicyMetrics[] = [];
    for (const policy of perWindowPolicies()) {
      const result = await runSimulation({ parameters, workload, policy });
      options.onResult?.({ variant: name, metrics: result });
      metrics.push(result);
    }
    results.push({
      name,
      parameters,
      capacity,
      conversations: workload.conversations.length,
      offeredRequestsPerMinute: workload.offeredRequestsPerMinute,
      results: metrics,
    });
  }
  return results;
}
