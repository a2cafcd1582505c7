import type { ServerResponse } from 'node:http';
import type { ClientGone } from '../gateway/proxy-request.js';

/**
 * Whether the client of one proxied request is still there: gone once its response closes before
 * it finished. Offers the gateway both `ClientGone` (listeners, no allocation beyond the listener)
 * and an AbortSignal that is only created when something asks for it (a wait between attempts), so
 * the common request creates no AbortController here.
 */
export class ClientConnection implements ClientGone {
  reason: unknown;
  private listeners: ((reason: unknown) => void)[] | null = null;
  private controller: AbortController | null = null;

  constructor(
    response: ServerResponse,
    private readonly makeReason: () => unknown,
  ) {
    response.once('close', () => {
      if (!response.writableFinished) this.close();
    });
  }

  /** Aborted when the client goes away. */
  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      if (this.reason !== undefined) this.controller.abort(this.reason);
    }
    return this.controller.signal;
  }

  subscribe(listener: (reason: unknown) => void): void {
    this.listeners ??= [];
    this.listeners.push(listener);
  }

  private close(): void {
    if (this.reason !== undefined) return;
    this.reason = this.makeReason();
    this.controller?.abort(this.reason);
    const listeners = this.listeners ?? [];
    this.listeners = null;
    for (const listener of listeners) listener(this.reason);
  }
}
