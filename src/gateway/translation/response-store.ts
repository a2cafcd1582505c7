import type { Clock } from '../../core/clock.js';
import type { CanonicalMessage } from '../../core/model/index.js';

export interface ResponseStoreOptions {
  clock: Clock;
  /** How long a response can be continued with `previous_response_id`, ms. Default one hour. */
  ttlMs?: number;
  /** Most responses kept; the oldest go first. Default 2 000. */
  maxEntries?: number;
}

interface Entry {
  messages: readonly CanonicalMessage[];
  expiresAt: number;
}

/**
 * Conversations of earlier Responses API answers, so a request with `previous_response_id` can
 * continue them on any upstream (none of which keeps Responses state for us). Bounded in size and
 * time; a continuation of an unknown or expired id is the caller's clear 400.
 */
export class ResponseStore {
  private readonly entries = new Map<string, Entry>();
  private readonly ttlMs: number;
  private readonly maxEntries: number;

  constructor(private readonly options: ResponseStoreOptions) {
    this.ttlMs = options.ttlMs ?? 60 * 60 * 1000;
    this.maxEntries = Math.max(1, options.maxEntries ?? 2000);
  }

  /** Keeps the whole conversation up to and including response `id`'s output. */
  save(id: string, messages: readonly CanonicalMessage[]): void {
    this.entries.delete(id);
    this.entries.set(id, { messages, expiresAt: this.options.clock.now() + this.ttlMs });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }

  /** The conversation of response `id`, or undefined when unknown or expired. */
  get(id: string): readonly CanonicalMessage[] | undefined {
    const entry = this.entries.get(id);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.options.clock.now()) {
      this.entries.delete(id);
      return undefined;
    }
    return entry.messages;
  }

  get size(): number {
    return this.entries.size;
  }
}
