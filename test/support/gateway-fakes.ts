/**
 * Small fakes of the gateway's ports (`src/gateway/gateway-ports.ts`) for unit tests of the attempt
 * loop: a scripted scheduler, an in-memory account list, a scripted upstream, a clock whose sleeps
 * pass at once (and are counted), and a gateway wired from them.
 *
 * ```ts
 * const kit = gatewayKit({ accounts: [testAccount('a')] });
 * kit.scheduler.decisions.push(pickAccount('a'));
 * kit.upstream.answers.push(() => jsonAnswer(200, { choices: [] }));
 * const response = await kit.gateway.handle(chatRequest(kit.clock));
 * ```
 */

import { defaultConfig, type SwitchyardConfig } from '../../src/config/schema.js';
import type { Account, ModelQuota } from '../../src/core/account.js';
import { FakeClock } from '../../src/core/clock.js';
import type { FailureReason } from '../../src/core/limits.js';
import { Gateway } from '../../src/gateway/gateway.js';
import type {
  AccountUsagePort,
  RecordedFailure,
  SchedulerPort,
  UpstreamAnswer,
  UpstreamPort,
} from '../../src/gateway/gateway-ports.js';
import type { ProxyRequest } from '../../src/gateway/proxy-request.js';
import { MemorySignatureLedger } from '../../src/gateway/reasoning/signature-ledger.js';
import { ResponseStore } from '../../src/gateway/translation/response-store.js';
import type { Logger } from '../../src/observability/logger.js';
import type { RequestLogEntry } from '../../src/observability/request-log-entry.js';
import { type CredentialProvider, staticCredentials } from '../../src/providers/auth/credential-provider.js';
import { CodeAssistContext } from '../../src/providers/code-assist/code-assist-context.js';
import type { UpstreamRequest } from '../../src/providers/provider-adapter.js';
import { createProviderRegistry } from '../../src/providers/registry.js';
import type { SendOptions } from '../../src/providers/upstream-client.js';
import { routingTable } from '../../src/routing/routing-table.js';
import type { QuotaObservation } from '../../src/scheduler/limit-records.js';
import type { AccountDecision, PickDecision, PickRequest } from '../../src/scheduler/pick.js';

export const MODEL = 'gpt-test';

/** A fake clock whose sleeps end at once, moving time on by what was asked; `sleeps` lists them. */
export class InstantClock extends FakeClock {
  readonly sleeps: number[] = [];

  override sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    this.sleeps.push(ms);
    this.set(this.now() + ms);
    return Promise.resolve();
  }
}

/** Use account `accountId` (chosen `via` round robin unless told otherwise). */
export function pickAccount(accountId: string, via: AccountDecision['via'] = 'round-robin'): PickDecision {
  return { kind: 'account', accountId, via, bind: false, unbind: false, setLastUsed: false };
}

/** What a failure of `status` records, as the rate-limit tracker would decide it. */
export function recordedFailure(options: {
  reason: FailureReason;
  retryable: boolean;
  graceRetryMs?: number | null;
  lockUntil?: number | null;
  accountId?: string;
}): RecordedFailure {
  const { lockUntil = null } = options;
  return {
    classification: {
      reason: options.reason,
      retryAfterMs: null,
      retryable: options.retryable,
      message: options.reason,
    },
    decision: {
      graceRetryMs: options.graceRetryMs ?? null,
      lock:
        lockUntil === null
          ? null
          : {
              accountId: options.accountId ?? 'a',
              scope: 'model',
              model: MODEL,
              reason: options.reason,
              source: 'retry-after',
              until: lockUntil,
              detectedAt: 0,
              message: null,
            },
      keepsStoredLock: false,
      countsAsFailure: options.retryable,
      escalatesBackoff: false,
    },
  };
}

/** The tracker's usual verdict by status: 4xx (but 429) are the caller's, the rest retryable. */
function defaultVerdict(status: number): RecordedFailure {
  if (status === 429) return recordedFailure({ reason: 'RateLimitExceeded', retryable: true });
  if (status >= 400 && status < 500 && status !== 401 && status !== 403 && status !== 408)
    return recordedFailure({ reason: 'Unknown', retryable: false });
  return recordedFailure({ reason: status === 401 ? 'AuthError' : 'ServerError', retryable: true });
}

type FailureInput = Parameters<SchedulerPort['recordFailure']>[0];

/** A scheduler that hands out `decisions` in order (then "all attempted") and records every call. */
export class ScriptedScheduler implements SchedulerPort {
  readonly decisions: PickDecision[] = [];
  readonly selects: Array<{ forceRotate: boolean; attempted: string[] }> = [];
  readonly failures: FailureInput[] = [];
  readonly resends: Array<{ accountId: string; at: number }> = [];
  readonly successes: string[] = [];
  /** The verdict for each failure; by status unless a test sets it. */
  verdict: (input: FailureInput) => RecordedFailure = (input) => defaultVerdict(input.status);
  /** The answer to `claimResend`: a call number, or null when the account got locked meanwhile. */
  resendAnswer: number | null = 1;
  /** Set to make `recordSuccess` / `recordPredictedLimit` fail as a broken store write would. */
  storeFailure: Error | null = null;

  constructor(private readonly clock: FakeClock) {}

  async select(request: PickRequest): Promise<PickDecision> {
    this.selects.push({ forceRotate: request.forceRotate, attempted: [...request.attempted] });
    return this.decisions.shift() ?? { kind: 'none-eligible', reason: 'all-attempted', message: 'all tried' };
  }

  async recordFailure(input: FailureInput): Promise<RecordedFailure> {
    this.failures.push(input);
    return this.verdict(input);
  }

  async claimResend(accountId: string): Promise<number | null> {
    this.resends.push({ accountId, at: this.clock.now() });
    return this.resendAnswer;
  }

  async recordSuccess(input: { accountId: string }): Promise<void> {
    if (this.storeFailure) throw this.storeFailure;
    this.successes.push(input.accountId);
  }

  async recordPredictedLimit(_observation: QuotaObservation): Promise<unknown> {
    if (this.storeFailure) throw this.storeFailure;
    return null;
  }
}

/** Accounts in memory; `remove` is an account deleted while requests run. */
export class FakeAccounts implements AccountUsagePort {
  private readonly byId = new Map<string, Account>();

  constructor(accounts: readonly Account[]) {
    for (const account of accounts) this.byId.set(account.id, account);
  }

  get(id: string): Account | undefined {
    return this.byId.get(id);
  }

  list(): readonly Account[] {
    return [...this.byId.values()];
  }

  remove(id: string): void {
    this.byId.delete(id);
  }

  recordQuota(_id: string, _model: string, _quota: ModelQuota): void {}

  touchLastUsed(_id: string, _at: number): void {}
}

/** An upstream body read once, as chunks or whole; `breakOff` fails it after the last chunk. */
function answerBody(chunks: readonly string[], breakOff = false): UpstreamAnswer['body'] {
  const buffers = chunks.map((chunk) => Buffer.from(chunk));
  return {
    async *[Symbol.asyncIterator]() {
      yield* buffers;
      if (breakOff) throw Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' });
    },
    bytes: async () => Buffer.concat(buffers),
  };
}

export function jsonAnswer(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): UpstreamAnswer {
  return {
    status,
    headers: { 'content-type': 'application/json', ...headers },
    body: answerBody([JSON.stringify(body)]),
  };
}

/** A stream in `chunks`; with `breakOff`, the connection drops after the last one. */
export function sseAnswer(chunks: readonly string[], options: { breakOff?: boolean } = {}): UpstreamAnswer {
  return {
    status: 200,
    headers: { 'content-type': 'text/event-stream' },
    body: answerBody(chunks, options.breakOff),
  };
}

/** An upstream that cannot be reached (what undici throws for a refused connection). */
export function unreachable(): never {
  throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
}

/** An upstream that never answers: rejects only when the attempt gives up on it. */
export function silent(_request: UpstreamRequest, options: SendOptions): Promise<UpstreamAnswer> {
  return new Promise((_resolve, reject) => {
    options.signal.addEventListener('abort', () => reject(options.signal.reason), { once: true });
  });
}

type Answer = (request: UpstreamRequest, options: SendOptions) => UpstreamAnswer | Promise<UpstreamAnswer>;

/** Answers the calls with `answers` in order; `sent` lists what was sent. */
export class ScriptedUpstream implements UpstreamPort {
  readonly answers: Answer[] = [];
  readonly sent: UpstreamRequest[] = [];

  async send(request: UpstreamRequest, options: SendOptions): Promise<UpstreamAnswer> {
    this.sent.push(request);
    const answer = this.answers.shift();
    if (!answer) throw new Error(`unexpected upstream call ${this.sent.length} to ${request.url}`);
    return answer(request, options);
  }

  /** The account of each call, read from its base URL (`https://<id>.upstream.test`). */
  accountsCalled(): string[] {
    return this.sent.map((request) => new URL(request.url).hostname.split('.')[0] ?? '');
  }
}

/** An OpenAI Chat completion with usage. */
export function chatCompletion(text = 'hello'): Record<string, unknown> {
  return {
    id: 'chatcmpl-1',
    object: 'chat.completion',
    model: MODEL,
    choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 },
  };
}

/** A non-streamed OpenAI Chat request for `MODEL`, received now. */
export function chatRequest(clock: FakeClock, overrides: Partial<ProxyRequest> = {}): ProxyRequest {
  const body = { model: MODEL, messages: [{ role: 'user', content: 'hi' }] };
  return {
    id: 'request-1',
    receivedAt: clock.now(),
    protocol: 'openai-chat',
    operation: 'generate',
    method: 'POST',
    path: '/v1/chat/completions',
    query: '',
    clientModel: MODEL,
    stream: false,
    body,
    rawBody: Buffer.from(JSON.stringify(body)),
    headers: {},
    sessionId: null,
    clientKey: null,
    signal: new AbortController().signal,
    streamErrorEvent: (error) => `data: ${JSON.stringify({ error: { message: error.message } })}\n\n`,
    ...overrides,
  };
}

export interface GatewayKit {
  gateway: Gateway;
  clock: InstantClock;
  scheduler: ScriptedScheduler;
  accounts: FakeAccounts;
  upstream: ScriptedUpstream;
  /** What the request log received. */
  logged: RequestLogEntry[];
}

/** A gateway over the fakes; each account's base URL names it (`https://<id>.upstream.test/v1`). */
export function gatewayKit(options: {
  accounts: readonly Account[];
  logger: Logger;
  credentials?: CredentialProvider;
  config?: (config: SwitchyardConfig) => void;
}): GatewayKit {
  const clock = new InstantClock();
  const scheduler = new ScriptedScheduler(clock);
  const accounts = new FakeAccounts(
    options.accounts.map((account) => ({ ...account, baseUrl: `https://${account.id}.upstream.test/v1` })),
  );
  const upstream = new ScriptedUpstream();
  const config = defaultConfig();
  options.config?.(config);
  const logged: RequestLogEntry[] = [];
  const gateway = new Gateway({
    responses: new ResponseStore({ clock }),
    signatures: new MemorySignatureLedger(),
    accounts,
    scheduler,
    providers: createProviderRegistry({ codeAssist: new CodeAssistContext() }),
    credentials: options.credentials ?? staticCredentials,
    upstream,
    config: () => config,
    routing: () =>
      routingTable({ mapping: config.proxy.custom_mapping, aliases: config.proxy.model_aliases }),
    requestLog: { record: (entry) => logged.push(entry) },
    clock,
    logger: options.logger,
  });
  return { gateway, clock, scheduler, accounts, upstream, logged };
}
