import type { SwitchyardConfig } from '../config/schema.js';
import type { Account, ProviderKind } from '../core/account.js';
import type { ClientProtocol } from '../core/client-protocol.js';
import type { Clock } from '../core/clock.js';
import { SwitchyardError } from '../core/errors.js';
import { toHeaderValue } from '../core/header-value.js';
import type { KeyAdmissionPort } from '../keys/client-key-gate.js';
import type { Logger } from '../observability/logger.js';
import type { RequestLogSink } from '../observability/request-log-entry.js';
import { clientProtocol } from '../protocols/registry.js';
import type { CredentialProvider } from '../providers/auth/credential-provider.js';
import type { ProviderRegistry } from '../providers/registry.js';
import { detectBackgroundTask, isWarmupProbe, outlineRequest, type RoutingTable } from '../routing/index.js';
import type { AccountDecision } from '../scheduler/pick.js';
import type { CommittedAttempt, FailedAttempt } from './attempt.js';
import { clientErrorAnswer, committedAnswer } from './committed-answer.js';
import { finalFailure, noAccountError, translatedClientError } from './final-failure.js';
import type { AccountUsagePort, SchedulerPort, UpstreamPort } from './gateway-ports.js';
import { walkModelChain } from './model-chain.js';
import type { ProxyRequest, ProxyResponse } from './proxy-request.js';
import { ReasoningReplay } from './reasoning/reasoning-replay.js';
import type { SignatureLedger } from './reasoning/signature-ledger.js';
import { RequestTrace } from './request-trace.js';
import { hasPassThroughAccount } from './serving-accounts.js';
import { estimateInputTokens } from './translation/estimate-tokens.js';
import { RequestTranslator } from './translation/request-translator.js';
import type { ResponseStore } from './translation/response-store.js';
import { type AccountAttempt, type RunContext, tryAccount } from './try-account.js';
import { warmupReply } from './warmup-reply.js';

/** Waits honoured in a row for one attempt before giving up on it (each wait is bounded by the scheduler). */
const MAX_WAITS = 3;

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export interface GatewayDependencies {
  /** Conversations of Responses API answers, for `previous_response_id`. */
  responses: ResponseStore;
  /** Which upstream family issued the reasoning signatures of each session. */
  signatures: SignatureLedger;
  accounts: AccountUsagePort;
  scheduler: SchedulerPort;
  /** The upstream adapters, by provider kind (built by the composition root). */
  providers: ProviderRegistry;
  credentials: CredentialProvider;
  upstream: UpstreamPort;
  config: () => Readonly<SwitchyardConfig>;
  /** The model mapping and aliases in force (compiled once per configuration). */
  routing: () => RoutingTable;
  requestLog: RequestLogSink;
  /** Allowed models, limits and pinned accounts of client keys; without it client keys are only attributed. */
  keys?: KeyAdmissionPort;
  clock: Clock;
  logger: Logger;
}

/**
 * The use case of the gateway: pick an account, send, classify failures, retry elsewhere, respond.
 * Attempt 0 may reuse the session's account; later attempts force rotation; `attempted` spans the
 * whole request, so no retry goes back to an account that already failed it.
 */
export class Gateway {
  constructor(private readonly deps: GatewayDependencies) {}

  /** The model sent upstream for a client model (for headers on early errors). */
  mappedModel(clientModel: string): string {
    return this.deps.routing().router.resolve(clientModel).mapped;
  }

  /** The client protocol an account of `kind` speaks natively (its requests pass through untranslated). */
  nativeProtocol(kind: ProviderKind): ClientProtocol | undefined {
    return this.deps.providers.get(kind)?.nativeProtocol;
  }

  /** The model mapping and aliases in force. */
  routing(): RoutingTable {
    return this.deps.routing();
  }

  /**
   * Serves one request: the client key's admission, then the models the request resolves to (one,
   * or a fallback chain) in order, each through the attempt loop, the next only when the pool could
   * not serve the one before (see `walkModelChain`).
   */
  async handle(request: ProxyRequest): Promise<ProxyResponse> {
    const { models, kind } = this.deps.routing().router.resolve(this.routedModel(request));
    const first = models[0] ?? request.clientModel;
    const { logging } = this.deps.config().proxy;
    const trace = new RequestTrace(
      request,
      first,
      this.deps.clock,
      this.deps.requestLog,
      logging.debug_bodies,
    );
    const translator = this.translator(request, first);
    try {
      // A key's models and limits are checked before anything else: a refused request uses nothing.
      const { clientKey } = request;
      const allowedAccounts =
        request.pinnedAccountId !== undefined
          ? new Set([request.pinnedAccountId])
          : clientKey === null || !this.deps.keys
            ? null
            : await this.deps.keys.admit(
                { clientKey, clientModel: request.clientModel },
                this.deps.clock.now(),
              );
      // A protocol no upstream speaks is always translated: reject a bad body before using an account.
      const { providers } = this.deps;
      if (providers.passThroughKinds(request.protocol).size === 0) translator.decode();
      if (this.isWarmupProbe(request)) {
        trace.answeredLocally('warmup', 200);
        return warmupReply({ request, model: first, now: this.deps.clock.now() });
      }
      if (request.operation === 'count-tokens') {
        // Counted for the first model only: a fallback model counts its own way.
        const accounts = this.deps.accounts.list();
        const counted = hasPassThroughAccount({ accounts, request, model: first, allowedAccounts, providers })
          ? first
          : undefined;
        if (counted === undefined)
          return await this.estimateTokens({ request, model: first, translator, trace });
        return await this.run(
          this.runContext({
            request,
            model: counted,
            trace,
            allowedAccounts,
            first: { model: first, translator },
          }),
        );
      }
      const context = (model: string) =>
        this.runContext({ request, model, trace, allowedAccounts, first: { model: first, translator } });
      // The common case, one model: no chain to walk.
      if (models.length <= 1) return await this.run(context(first));
      return await walkModelChain({
        models,
        onlyWhenNotServed: kind === 'alias',
        attempt: (model) => this.run(context(model)),
        onFallback: ({ from, to, error }) => {
          const fields = {
            requestId: request.id,
            sessionId: request.sessionId,
            from,
            to,
            reason: error.code,
          };
          // A conversation moving to another model loses its prompt cache there: worth a warning.
          if (request.sessionId !== null)
            this.deps.logger.warn(
              fields,
              `conversation ${request.sessionId} moves from ${from} to ${to} (no account could serve ${from}): its prompt cache does not carry over`,
            );
          else this.deps.logger.info(fields, `no account could serve ${from}: falling back to ${to}`);
        },
      });
    } catch (error) {
      trace.fail(error);
      throw error;
    }
  }

  /**
   * The model a request is routed as: the one asked for, or `proxy.background_tasks.model` for a
   * background prompt (titles, summaries…) one of the enabled detectors recognises, when that rule
   * is on. A real turn of a conversation is never taken (see `detectBackgroundTask`).
   */
  private routedModel(request: ProxyRequest): string {
    const rule = this.deps.config().proxy.background_tasks;
    if (!rule.enabled || request.operation !== 'generate') return request.clientModel;
    const task = detectBackgroundTask(outlineRequest(request.protocol, request.body), rule.detectors);
    if (task === null) return request.clientModel;
    this.deps.logger.info(
      { requestId: request.id, task, from: request.clientModel, to: rule.model },
      `background task (${task}): routed to ${rule.model}`,
    );
    return rule.model;
  }

  /** A client's warmup probe, answered here when `proxy.warmup.intercept` is on. */
  private isWarmupProbe(request: ProxyRequest): boolean {
    if (request.operation !== 'generate' || request.pinnedAccountId !== undefined) return false;
    if (!this.deps.config().proxy.warmup.intercept) return false;
    return isWarmupProbe(outlineRequest(request.protocol, request.body));
  }

  private translator(request: ProxyRequest, model: string): RequestTranslator {
    return new RequestTranslator(request, model, {
      logger: this.deps.logger,
      responses: this.deps.responses,
      now: this.deps.clock.now(),
    });
  }

  /** The attempt loop's context for one model of the request's chain. */
  private runContext(
    options: Pick<RunContext, 'request' | 'model' | 'trace' | 'allowedAccounts'> & {
      /** The translator already built for the first model: reused, so its warnings are logged once. */
      first?: { model: string; translator: RequestTranslator };
    },
  ): RunContext {
    const { request, model, trace, first } = options;
    trace.model(model);
    const translator = first?.model === model ? first.translator : this.translator(request, model);
    const { logger, signatures: ledger } = this.deps;
    const reasoning = new ReasoningReplay({ request, translator, ledger, logger });
    return { request, model, trace, translator, reasoning, allowedAccounts: options.allowedAccounts };
  }

  /** count_tokens / countTokens without an upstream that counts: a local, documented estimate. */
  private async estimateTokens(options: {
    request: ProxyRequest;
    model: string;
    translator: RequestTranslator;
    trace: RequestTrace;
  }): Promise<ProxyResponse> {
    const { request, model, translator, trace } = options;
    const tokens = await estimateInputTokens(translator.decode().request, {
      yieldToIo: this.deps.clock.yieldToIo,
    });
    const body = Buffer.from(JSON.stringify(clientProtocol(request.protocol).countTokensBody(tokens)));
    trace.answeredLocally('token-estimate', 200);
    return {
      status: 200,
      headers: {
        'content-type': 'application/json',
        'x-mapped-model': toHeaderValue(model),
        'x-token-count': 'estimate',
      },
      body,
    };
  }

  private async run(context: RunContext): Promise<ProxyResponse> {
    const { request, model, trace } = context;
    const config = this.deps.config();
    const providers = this.deps.providers.servingKinds(request);
    const poolSize = this.deps.accounts.list().length;
    const maxAttempts = Math.max(1, Math.min(config.proxy.max_attempts, poolSize + 1));
    const attempted = new Set<string>();
    let lastFailure: { account: Account; failure: FailedAttempt; lockUntil: number | null } | null = null;
    // Whether every account tried answered that it does not serve the model.
    let modelNotFound = true;

    for (let attempt = 0; attempt < maxAttempts; attempt++) {
      const select = (forceRotate = attempt > 0) =>
        this.deps.scheduler.select({
          sessionId: request.sessionId,
          model,
          attempted,
          forceRotate,
          providers,
          accounts: context.allowedAccounts,
        });
      let decision = await select();
      // A wait means the account frees up soon: sleep, then pick again so the usual effects
      // (binding, window) apply. Never send to an account that is still locked.
      for (let waits = 0; decision.kind === 'wait' && waits < MAX_WAITS; waits++) {
        await this.deps.clock.sleep(decision.waitMs, request.signal);
        decision = await select();
      }
      // Waited as often as one attempt may (others took the account each time it freed up): move
      // to another account rather than fail, when one is free.
      if (decision.kind === 'wait') decision = await select(true);
      let accountId: string;
      let via: AccountDecision['via'];
      let call: number | undefined;
      if (decision.kind === 'account') {
        accountId = decision.accountId;
        via = decision.via;
        call = decision.call;
      } else if (decision.kind === 'wait') {
        if (lastFailure) break;
        throw new SwitchyardError(
          'all_accounts_limited',
          `Every account that serves ${model} is still rate-limited`,
          {
            retryAfterSeconds: Math.ceil(decision.waitMs / 1000),
          },
        );
      } else {
        if (lastFailure) break;
        throw noAccountError(decision);
      }
      const account = this.deps.accounts.get(accountId);
      const adapter = account ? this.deps.providers.get(account.provider) : undefined;
      if (!account || !adapter) continue;
      attempted.add(account.id);
      const target: AccountAttempt = { context, account, adapter, via, call };
      const outcome = await tryAccount(this.deps, target);
      if (outcome.kind === 'committed') return this.succeed(target, outcome);
      const { recorded } = outcome;
      if (!recorded.classification.retryable && outcome.status >= 400) {
        if (context.translator.needed(adapter)) throw translatedClientError(outcome);
        return clientErrorAnswer({ account, model, outcome, trace });
      }
      lastFailure = { account, failure: outcome, lockUntil: recorded.decision.lock?.until ?? null };
      if (recorded.classification.reason !== 'ModelNotFound') modelNotFound = false;
    }
    if (!lastFailure)
      throw new SwitchyardError('no_account_available', `No account could serve model ${model}`);
    throw finalFailure({
      ...lastFailure,
      model,
      modelNotFound,
      attempts: trace.attempts,
      now: this.deps.clock.now(),
    });
  }

  private succeed(target: AccountAttempt, outcome: CommittedAttempt): ProxyResponse {
    const { account, context } = target;
    const { model, request, trace, reasoning } = context;
    const family = target.adapter.signatureFamily;
    const now = this.deps.clock.now();
    // Bookkeeping only: a failing state write must neither fail the answer nor go unhandled.
    this.deps.scheduler.recordSuccess({ accountId: account.id, model }).catch((error: unknown) => {
      this.deps.logger.error(
        { requestId: request.id, account: account.email, err: errorMessage(error) },
        'could not record a successful request',
      );
    });
    this.deps.accounts.touchLastUsed(account.id, now);
    return committedAnswer({ account, model, request, trace, reasoning, family, outcome });
  }
}
