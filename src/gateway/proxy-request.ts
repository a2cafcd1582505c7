import type { ClientKey } from '../core/client-key.js';
import type { ClientProtocol, Operation } from '../core/client-protocol.js';
import type { SwitchyardError } from '../core/errors.js';
import type { JsonObject } from '../core/json.js';

/** One client request, as the server hands it to the gateway. */
export interface ProxyRequest {
  id: string;
  /** Epoch ms when it arrived. */
  receivedAt: number;
  protocol: ClientProtocol;
  operation: Operation;
  method: string;
  path: string;
  /** The client's query string without `?`. */
  query: string;
  /** The model the client asked for. */
  clientModel: string;
  stream: boolean;
  body: JsonObject;
  rawBody: Buffer | null;
  headers: Record<string, string | string[] | undefined>;
  sessionId: string | null;
  /**
   * The client key the request was made with (checked by the server: known, not revoked, not
   * expired); null for the owner's key or no key. The gateway enforces its models and limits.
   */
  clientKey: ClientKey | null;
  /**
   * A request of the gateway's own (a scheduled warmup): served by this account only, never
   * another, and never answered locally as a client's warmup probe. Absent for client requests.
   */
  pinnedAccountId?: string;
  /** Aborted when the client disconnects; cancels the upstream call. */
  signal: AbortSignal;
  /**
   * The same event without an AbortSignal: the server's requests offer it so an attempt can link
   * its own controller to the client without a second one per request (`signal` is then only
   * created when read). Optional: without it, `signal` is used.
   */
  clientGone?: ClientGone;
  /** Renders an error as an event of the client's stream protocol (used after the commit point). */
  streamErrorEvent(error: SwitchyardError): string;
}

/** The client going away before its answer was complete. */
export interface ClientGone {
  /** Why the client is gone (a `client_closed_request` error), or undefined while it is connected. */
  readonly reason: unknown;
  /**
   * Calls `listener` once with the reason when the client goes away (never when it is already
   * gone: check `reason` first).
   */
  subscribe(listener: (reason: unknown) => void): void;
}

/**
 * What the server writes back. Headers include X-Account-Email and X-Mapped-Model; the server adds
 * X-Request-Id to every proxied answer.
 */
export interface ProxyResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer | AsyncIterable<Buffer>;
}
