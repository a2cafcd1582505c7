import type { JsonObject } from '../../core/json.js';
import type { CanonicalMessage, Converted } from '../../core/model/index.js';
import {
  filterReplayedReasoning,
  type ReasoningJudge,
  type ReplayedReasoning,
  type SignatureFamily,
} from '../../core/model/replayed-reasoning.js';
import type { Logger } from '../../observability/logger.js';
import { isThoughtSignatureEnvelope } from '../../protocols/gemini/gemini-thought-signature.js';
import { isReasoningEnvelope } from '../../protocols/openai-responses/reasoning-envelope.js';
import { clientProtocol } from '../../protocols/registry.js';
import type { ProviderAdapter } from '../../providers/provider-adapter.js';
import { isSignatureError } from '../../ratelimit/index.js';
import type { ProxyRequest } from '../proxy-request.js';
import type { RequestTranslator } from '../translation/request-translator.js';
import type { Translation } from '../translation/translation.js';
import type { SignatureLedger } from './signature-ledger.js';

/**
 * How an attempt treats the reasoning a request replays:
 * - `checked`: reasoning the account can be told not to verify is left out (see `ReasoningReplay`);
 * - `repaired`: after the account answered with a signature error, all replayed reasoning becomes
 *   plain text (redacted reasoning is dropped), so nothing is left to verify.
 */
export type HistoryMode = 'checked' | 'repaired';

/** What one attempt sends: a translation, or for pass-through the body to use instead of the client's (null: the client's bytes). */
export interface OutgoingRequest {
  translation: Translation | undefined;
  body: JsonObject | null;
}

/** Historical reasoning → text; reasoning without text (redacted, bare signatures) → dropped. */
const repairJudge: ReasoningJudge = (reasoning) => (reasoning.text === '' ? 'drop' : 'text');

/**
 * The reasoning one request replays, made fit for each attempt's account. Reasoning an account
 * cannot verify is left out before sending when the gateway can tell: an envelope this gateway
 * wrote (`swy1.`, `swyg1.`), a thinking block without a signature (Anthropic verifies every one),
 * or a signature the ledger recorded in this session for another family. Everything else goes as
 * the client sent it, and a pass-through body is rewritten only when a block must change.
 */
export class ReasoningReplay {
  constructor(
    private readonly options: {
      request: ProxyRequest;
      translator: RequestTranslator;
      ledger: SignatureLedger;
      logger: Logger;
    },
  ) {}

  /** The request for one attempt on an account of `adapter`'s kind. */
  outgoing(adapter: ProviderAdapter, mode: HistoryMode): OutgoingRequest {
    const { translator } = this.options;
    if (translator.needed(adapter)) {
      const prepareMessages = (messages: CanonicalMessage[]) =>
        this.prepare(messages, adapter.signatureFamily, mode);
      return { translation: translator.forAttempt(adapter, { prepareMessages }), body: null };
    }
    const family = adapter.signatureFamily;
    const checked = this.filterBody(this.options.request.body, { family, mode: 'checked' });
    const body =
      mode === 'checked'
        ? checked
        : (this.filterBody(checked ?? this.options.request.body, { family, mode }) ?? checked);
    if (body !== null) {
      this.options.logger.warn(
        { requestId: this.options.request.id, provider: adapter.kind, history: mode },
        mode === 'checked'
          ? 'replayed reasoning the account cannot verify left out'
          : 'replayed reasoning turned into text',
      );
    }
    return { translation: undefined, body };
  }

  /**
   * Whether to resend a failed attempt with the history repaired: the upstream answered with a
   * signature-class error (`isSignatureError`) and a repaired request would differ (else resending
   * is pointless).
   */
  repairs(adapter: ProviderAdapter, failure: { status: number; body: unknown }): boolean {
    if (!isSignatureError(failure.status, failure.body) || !this.repairable(adapter)) return false;
    this.options.logger.warn(
      { requestId: this.options.request.id, provider: adapter.kind, status: failure.status },
      'upstream could not verify replayed reasoning: resending once with the history repaired',
    );
    return true;
  }

  private repairable(adapter: ProviderAdapter): boolean {
    const { translator, request } = this.options;
    if (!translator.needed(adapter)) {
      const family = adapter.signatureFamily;
      const checked = this.filterBody(request.body, { family, mode: 'checked' });
      return this.filterBody(checked ?? request.body, { family, mode: 'repaired' }) !== null;
    }
    const messages = this.prepare(
      translator.decode().request.messages,
      adapter.signatureFamily,
      'checked',
    ).value;
    return messages.some(
      (message) =>
        message.role === 'assistant' &&
        message.content.some(
          (part) => part.type === 'reasoning' && (!!part.signature || !!part.redactedData),
        ),
    );
  }

  /** Remembers the signatures an upstream of `family` issued in its answer, for later attempts in this session. */
  record(family: SignatureFamily, signatures: readonly string[]): void {
    const { sessionId } = this.options.request;
    if (sessionId === null || signatures.length === 0) return;
    this.options.ledger.record(sessionId, family, signatures);
  }

  private prepare(
    messages: CanonicalMessage[],
    family: SignatureFamily,
    mode: HistoryMode,
  ): Converted<CanonicalMessage[]> {
    const checked = filterReplayedReasoning(messages, this.checkJudge(family));
    if (mode === 'checked') return checked;
    const repaired = filterReplayedReasoning(checked.value, repairJudge);
    return { value: repaired.value, warnings: [...checked.warnings, ...repaired.warnings] };
  }

  /** A pass-through body after the mode's judge; null when it needs no change. */
  private filterBody(
    body: JsonObject,
    options: { family: SignatureFamily; mode: HistoryMode },
  ): JsonObject | null {
    const { family, mode } = options;
    const filter = clientProtocol(this.options.request.protocol).filterReasoning;
    if (!filter) return null;
    const judge = mode === 'repaired' ? repairJudge : this.checkJudge(family);
    return filter(body, { judge, family, repaired: mode === 'repaired' });
  }

  private checkJudge(target: SignatureFamily): ReasoningJudge {
    if (target === 'openai') return () => 'keep';
    return (reasoning) => {
      const values = opaqueValues(reasoning);
      if (values.length === 0) return target === 'anthropic' ? 'drop' : 'keep';
      return values.some((value) => this.unverifiable(value, target)) ? 'drop' : 'keep';
    };
  }

  private unverifiable(value: string, target: SignatureFamily): boolean {
    if (isReasoningEnvelope(value) || isThoughtSignatureEnvelope(value)) return true;
    const { sessionId } = this.options.request;
    const family = sessionId === null ? undefined : this.options.ledger.familyOf(sessionId, value);
    return family !== undefined && family !== target;
  }
}

function opaqueValues(reasoning: ReplayedReasoning): string[] {
  return [reasoning.signature, reasoning.redactedData].filter(
    (value): value is string => value !== undefined && value !== '',
  );
}
