import type { CancelSignal } from '../providers/upstream-client.js';

type AbortListener = () => void;

/**
 * The cancel signal of one upstream attempt (its timer ran out, or the client went away): the part
 * of `AbortController` + `AbortSignal` that the upstream client and undici use — `aborted`,
 * `reason`, and `abort` listeners — as one small object.
 *
 * Why not an `AbortController`: in the heap profile of the pass-through row under load, the
 * per-attempt AbortSignal, its listener bookkeeping and undici's listener on it were the largest
 * group of objects surviving scavenges (about a third of the bytes promoted to the old generation),
 * which is what grows the old generation between full collections and sets the peak RSS.
 */
export class AttemptAbort implements CancelSignal {
  aborted = false;
  reason: unknown = undefined;
  private listeners: AbortListener[] | null = null;

  /** Cancels the attempt: every listener is called once, in the order added. A second call does nothing. */
  abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    const listeners = this.listeners;
    this.listeners = null;
    if (listeners) for (const listener of listeners) listener();
  }

  /** Listeners are always called once (as with `{ once: true }`); adding after the abort does nothing. */
  addEventListener(_type: 'abort', listener: AbortListener): void {
    if (this.aborted) return;
    this.listeners ??= [];
    this.listeners.push(listener);
  }

  removeEventListener(_type: 'abort', listener: AbortListener): void {
    const index = this.listeners?.indexOf(listener) ?? -1;
    if (index >= 0) this.listeners?.splice(index, 1);
  }
}
