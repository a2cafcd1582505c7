import { Prng } from './prng.js';
import type { Capacity, SimulationParameters } from './sim-parameters.js';
import { MINUTE_MS } from './sim-parameters.js';

/** One conversation of the workload: the same for every policy of a run. */
export interface Conversation {
  index: number;
  sessionId: string;
  model: string;
  /** Virtual epoch ms of the first turn. */
  arrivalAt: number;
  /** Think time before each turn after the first, ms (`turns - 1` entries). */
  thinkMs: readonly number[];
}

/** The conversations of one run and the load they offer. */
export interface Workload {
  conversations: readonly Conversation[];
  /** Offered requests per minute: capacity / capacityOverLoad. */
  offeredRequestsPerMinute: number;
  /** Conversations arriving per minute (Poisson). */
  conversationsPerMinute: number;
}

/** Stream numbers of `Prng.derive`, one per purpose, so each draws its own independent sequence. */
export const RANDOM_STREAMS = { arrivals: 1, upstream: 2, policy: 3 } as const;

/**
 * Conversations arriving as a Poisson process during `durationMs`, at the rate that makes the
 * offered load `capacity / capacityOverLoad`; each has `turnsPerConversation` turns, a model drawn
 * by share, and exponential think times. Depends only on the parameters and the seed.
 */
export function generateWorkload(parameters: SimulationParameters, capacity: Capacity): Workload {
  const random = Prng.derive(parameters.seed, RANDOM_STREAMS.arrivals);
  const offeredRequestsPerMinute = capacity.requestsPerMinute / parameters.capacityOverLoad;
  const conversationsPerMinute = offeredRequestsPerMinute / parameters.turnsPerConversation;
  const meanGapMs = MINUTE_MS / conversationsPerMinute;
  const conversations: Conversation[] = [];
  const end = parameters.startAt + parameters.durationMs;
  for (
    let at = parameters.startAt + random.exponential(meanGapMs);
    at < end;
    at += random.exponential(meanGapMs)
  ) {
    const index = conversations.length;
    const thinkMs: number[] = [];
    for (let turn = 1; turn < parameters.turnsPerConversation; turn++) {
      thinkMs.push(random.exponential(parameters.meanThinkMs));
    }
    conversations.push({
      index,
      sessionId: `sid-${index.toString(16).padStart(8, '0')}`,
      model: pickModel(parameters, random.next()),
      arrivalAt: at,
      thinkMs,
    });
  }
  return { conversations, offeredRequestsPerMinute, conversationsPerMinute };
}

function pickModel(parameters: SimulationParameters, draw: number): string {
  let cumulative = 0;
  for (const model of parameters.models) {
    cumulative += model.share;
    if (draw < cumulative) return model.id;
  }
  return parameters.models[parameters.models.length - 1]!.id;
}
