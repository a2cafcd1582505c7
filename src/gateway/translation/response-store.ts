import type { Clock } from '../../core/clock.js';
import type { CanonicalMessage } from '../../core/model/index.js';

export interface ResponseStoreOptions {
  clock: Clock;
  /** How long a response can be continued with `previous_response_id`, ms. Default one hour. */
  ttlMs?: number;
  /** Most responses kept; the oldest go first. Default 2 000. */
  maxEntries?: number;
  /**
   * Most bytes of conversation kept, all responses together (read at every save, so a config change
   * applies); the oldest responses go first. Default 64 MiB.
   */
  maxBytes?: () => number;
}

/** Default of `ResponseStoreOptions.maxBytes`. */
export const DEFAULT_RESPONSE_STORE_MAX_BYTES = 64 * 1024 * 1024;

interface Entry {
  messages: readonly CanonicalMessage[];
  expiresAt: number;
}

/** One message held by one or more entries (a conversation's turns share their history). */
interface HeldMessage {
  bytes: number;
  entries: number;
}

/**
 * Conversations of earlier Responses API answers, so a request with `previous_response_id` can
 * continue them on any upstream (none of which keeps Responses state for us). Bounded in count, in
 * bytes and in time; a continuation of an unknown, evicted or expired id is the caller's clear 400.
 *
 * Bytes are those of the messages' JSON, each message counted once however many stored responses
 * hold it: every turn of a conversation is saved with the whole history before it, and those
 * histories are the same objects in memory.
 */
export class ResponseStore {
  private readonly entries = new Map<string, Entry>();
  private readonly held = new Map<CanonicalMessage, HeldMessage>();
  private heldBytes = 0;
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly maxBytes: () => number;

  constructor(private readonly options: ResponseStoreOptions) {
    this.ttlMs = options.ttlMs ?? 60 * 60 * 1000;
    this.maxEntries = Math.max(1, options.maxEntries ?? 2000);
    this.maxBytes = options.maxBytes ?? (() => DEFAULT_RESPONSE_STORE_MAX_BYTES);
  }

  /**
   * Keeps the whole conversation up to and including response `id`'s output, then drops expired
   * responses and the oldest ones beyond the count or byte limit — the new one too, when it alone
   * is larger than the byte limit.
   */
  save(id: string, messages: readonly CanonicalMessage[]): void {
    this.remove(id);
    this.entries.set(id, { messages, expiresAt: this.options.clock.now() + this.ttlMs });
    for (const message of messages) this.hold(message);
    const now = this.options.clock.now();
    const maxBytes = this.maxBytes();
    for (const [oldestId, oldest] of this.entries) {
      const over = this.entries.size > this.maxEntries || this.heldBytes > maxBytes;
      if (!over && oldest.expiresAt > now) break;
      this.remove(oldestId);
    }
  }

  /** The conversation of response `id`, or undefined when unknown, evicted or expired. */
  get(id: string): readonly CanonicalMessage[] | undefined {
    const entry = this.entries.get(id);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.options.clock.now()) {
      this.remove(id);
      return undefined;
    }
    return entry.messages;
  }

  get size(): number {
    return this.entries.size;
  }

  /** Bytes of conversation held now. */
  get bytes(): number {
    return this.heldBytes;
  }

  private hold(message: CanonicalMessage): void {
    const held = this.held.get(message);
    if (held) {
      held.entries++;
      return;
    }
    const bytes = JSON.stringify(message).length;
    this.held.set(message, { bytes, entries: 1 });
    this.heldBytes += bytes;
  }

  private remove(id: string): void {
    const entry = this.entries.get(id);
    if (!entry) return;
    this.entries.delete(id);
    for (const message of entry.messages) {
      const held = this.held.get(message);
      if (!held) continue;
      held.entries--;
      if (held.entries > 0) continue;
      this.held.delete(message);
      this.heldBytes -= held.bytes;
    }
  }
}
