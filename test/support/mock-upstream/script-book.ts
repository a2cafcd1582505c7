/** Which behaviour answers the next request carrying a given credential. */
import type { UpstreamRequest } from '../../../src/simulator/upstream-server.js';
import type { Behaviour } from '../../../src/simulator/wire/behaviours.js';

/** A default that looks at each request (its body, path, headers) to choose how to answer it. */
export type BehaviourChooser = (request: UpstreamRequest) => Behaviour;

/** Key that matches every credential (and requests without one) when nothing more specific applies. */
export const ANY_KEY = '*';

/**
 * Queues and defaults per credential. Lookup order for a request with key K: the next queued step
 * of K, the next queued step of `*`, the default of K, the default of `*`, then `ok`.
 */
export class ScriptBook {
  private readonly queues = new Map<string, Behaviour[]>();
  private readonly defaults = new Map<string, Behaviour | BehaviourChooser>();

  /** Appends steps to the queue of `key`. */
  script(key: string, steps: Behaviour[]): void {
    this.queues.set(key, [...(this.queues.get(key) ?? []), ...steps]);
  }

  setDefault(key: string, behaviour: Behaviour | BehaviourChooser): void {
    this.defaults.set(key, behaviour);
  }

  /** Consumes and returns the behaviour for one request, by the key it carries (null: no credential). */
  next(request: UpstreamRequest): Behaviour {
    const { key } = request;
    const own = key === null ? undefined : this.queues.get(key)?.shift();
    if (own) return own;
    const shared = this.queues.get(ANY_KEY)?.shift();
    if (shared) return shared;
    const fallback = (key === null ? undefined : this.defaults.get(key)) ?? this.defaults.get(ANY_KEY);
    if (fallback === undefined) return { type: 'ok' };
    return typeof fallback === 'function' ? fallback(request) : fallback;
  }

  /** Steps still queued for `key`. */
  pending(key: string): number {
    return this.queues.get(key)?.length ?? 0;
  }

  clear(): void {
    this.queues.clear();
    this.defaults.clear();
  }
}
