import type { Account } from '../core/account.js';
import type { Clock } from '../core/clock.js';
import { isSwitchyardError } from '../core/errors.js';
import type { Usage } from '../core/model/index.js';
import type { LocalReply, RequestLogSink } from '../observability/request-log-entry.js';
import type { ProxyRequest } from './proxy-request.js';

/** Collects what happens to one request and hands one entry to the request log when it ends. */
export class RequestTrace {
  attempts = 0;
  private readonly accountsTried: string[] = [];
  private lastAccount: Account | null = null;
  private firstByteAt: number | null = null;
  private finished = false;
  /** The models of the request's fallback chain it was tried on, in order. */
  private readonly modelsTried: string[] = [];
  private localReply: LocalReply | null = null;

  constructor(
    private readonly request: ProxyRequest,
    /** The model sent upstream: the first of the chain until another one is tried. */
    private mappedModel: string,
    private readonly clock: Clock,
    private readonly sink: RequestLogSink,
    /** Keep request and response bodies (debug logging); off, no body is copied at all. */
    private readonly keepBodies = false,
  ) {}

  /** The request is now tried on `model` (the first, or the next model of its fallback chain). */
  model(model: string): void {
    this.mappedModel = model;
    this.modelsTried.push(model);
  }

  tried(account: Account): void {
    this.attempts++;
    this.lastAccount = account;
    if (this.accountsTried[this.accountsTried.length - 1] !== account.email)
      this.accountsTried.push(account.email);
  }

  firstByte(): void {
    this.firstByteAt ??= this.clock.now();
  }

  succeed(options: {
    account: Account;
    status: number;
    usage: Usage | null;
    responseBody?: Buffer;
    streamError?: unknown;
  }): void {
    this.firstByte();
    this.finish({
      account: options.account,
      status: options.status,
      usage: options.usage,
      error: options.streamError ? 'stream broke off after the first byte' : null,
      responseBody: this.keepBodies ? options.responseBody?.toString('utf8') : undefined,
    });
  }

  /** Answered locally (a token-count estimate, a warmup probe), without an account. */
  answeredLocally(reply: LocalReply, status: number): void {
    this.localReply = reply;
    this.finish({ account: null, status, usage: null, error: null });
  }

  fail(error: unknown): void {
    const status = isSwitchyardError(error) ? error.status : 499;
    const message = error instanceof Error ? error.message : String(error);
    this.finish({ account: this.lastAccount, status, usage: null, error: message });
  }

  private finish(outcome: {
    account: Account | null;
    status: number;
    usage: Usage | null;
    error: string | null;
    responseBody?: string | undefined;
  }): void {
    if (this.finished) return;
    this.finished = true;
    const now = this.clock.now();
    const { request } = this;
    this.sink.record({
      id: request.id,
      time: request.receivedAt,
      protocol: request.protocol,
      method: request.method,
      path: request.path,
      clientModel: request.clientModel,
      mappedModel: this.mappedModel,
      modelsTried: this.modelsTried.length === 0 ? [this.mappedModel] : [...this.modelsTried],
      localReply: this.localReply,
      accountId: outcome.account?.id ?? null,
      accountEmail: outcome.account?.email ?? null,
      sessionId: request.sessionId,
      clientKeyId: request.clientKey?.id ?? null,
      status: outcome.status,
      attempts: this.attempts,
      accountsTried: [...this.accountsTried],
      latencyMs: now - request.receivedAt,
      ttfbMs: this.firstByteAt === null ? null : this.firstByteAt - request.receivedAt,
      usage: outcome.usage,
      error: outcome.error,
      stream: request.stream,
      requestBody: this.keepBodies ? request.rawBody?.toString('utf8') : undefined,
      responseBody: outcome.responseBody,
    });
  }
}
