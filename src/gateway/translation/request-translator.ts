import { SwitchyardError } from '../../core/errors.js';
import type {
  CanonicalMessage,
  CanonicalResponse,
  Converted,
  StreamEvent,
  Warning,
} from '../../core/model/index.js';
import { collectStream } from '../../core/model/index.js';
import type { Logger } from '../../observability/logger.js';
import type { DecodedClientRequest, EncodeContext } from '../../protocols/client-protocol-descriptor.js';
import { clientProtocol } from '../../protocols/registry.js';
import type { ProviderAdapter } from '../../providers/provider-adapter.js';
import type { ProxyRequest } from '../proxy-request.js';
import type { ResponseStore } from './response-store.js';
import { createTranslation, type Translation } from './translation.js';
import { WarningDigest } from './warning-digest.js';

/**
 * Translation for one client request: decodes the client body once (only when an attempt needs
 * it), builds a fresh `Translation` per attempt, logs lossy conversions with the request id, and
 * keeps Responses API conversations for `previous_response_id`.
 */
export class RequestTranslator {
  private decoded: DecodedClientRequest | null = null;
  /** Created with the first warning: a pass-through request never has one. */
  private warnings: WarningDigest | null = null;
  private encodeContext: EncodeContext | null = null;

  constructor(
    private readonly request: ProxyRequest,
    private readonly model: string,
    private readonly deps: { logger: Logger; responses: ResponseStore; now: number },
  ) {}

  /** The id, model and time a translated answer is given; built on first use (never for pass-through). */
  get context(): EncodeContext {
    this.encodeContext ??= {
      id: `${clientProtocol(this.request.protocol).idPrefix}${this.request.id.replace(/^req_/, '')}`,
      model: this.model,
      now: this.deps.now,
    };
    return this.encodeContext;
  }

  /** Whether an account of this adapter needs translation for this request. */
  needed(adapter: ProviderAdapter): boolean {
    return adapter.nativeProtocol !== this.request.protocol;
  }

  /** The decoded request, with a Responses conversation continued from its stored history. */
  decode(): DecodedClientRequest {
    if (this.decoded) return this.decoded;
    const { request } = this;
    const decoded = clientProtocol(request.protocol).decode(request.body, {
      model: request.clientModel,
      stream: request.stream,
    });
    if (decoded.previousResponseId) {
      const history = this.deps.responses.get(decoded.previousResponseId);
      if (!history) {
        throw new SwitchyardError(
          'invalid_request',
          `previous_response_id: no stored response ${decoded.previousResponseId} (unknown, expired, evicted to keep memory bounded, or created with store: false)`,
        );
      }
      decoded.request = { ...decoded.request, messages: [...history, ...decoded.request.messages] };
    }
    this.warn(decoded.warnings);
    this.decoded = decoded;
    return decoded;
  }

  /**
   * A translation for one attempt on an account of `adapter`'s kind. `prepareMessages` adapts the
   * conversation to that account first (reasoning it cannot verify); a Responses conversation is
   * still kept as the client sent it.
   */
  forAttempt(
    adapter: ProviderAdapter,
    options: { prepareMessages?: (messages: CanonicalMessage[]) => Converted<CanonicalMessage[]> } = {},
  ): Translation {
    const { codec } = adapter;
    if (!codec) {
      throw new SwitchyardError(
        'internal_error',
        `Requests cannot be translated for ${adapter.kind} accounts`,
      );
    }
    const decoded = this.decode();
    const prepared = options.prepareMessages?.(decoded.request.messages);
    if (prepared) this.warn(prepared.warnings);
    const events: StreamEvent[] = [];
    const keep = clientProtocol(this.request.protocol).keepsConversations && decoded.store !== false;
    return createTranslation({
      decoded:
        prepared && prepared.value !== decoded.request.messages
          ? { ...decoded, request: { ...decoded.request, messages: prepared.value } }
          : decoded,
      codec,
      model: this.model,
      stream: this.request.stream,
      context: this.context,
      onWarnings: (warnings) => this.warn(warnings),
      onResponse: keep ? (response) => this.remember(decoded, response) : undefined,
      onStreamEvent: keep
        ? (event) => {
            events.push(event);
            if (event.type === 'finish') this.remember(decoded, collectStream(events));
          }
        : undefined,
    });
  }

  private remember(decoded: DecodedClientRequest, response: CanonicalResponse): void {
    this.deps.responses.save(this.context.id, [
      ...decoded.request.messages,
      { role: 'assistant', content: response.content },
    ]);
  }

  /** Logs warnings as a bounded digest: repeats counted, at most a few lines per request (see `WarningDigest`). */
  private warn(warnings: readonly Warning[]): void {
    this.warnings ??= new WarningDigest();
    const { lines, omitted } = this.warnings.digest(warnings);
    const requestId = this.request.id;
    for (const { warning, count } of lines) {
      this.deps.logger.warn(
        count > 1 ? { requestId, warning, count } : { requestId, warning },
        'lossy translation',
      );
    }
    if (omitted > 0) {
      this.deps.logger.warn({ requestId, omitted }, 'lossy translation: further warnings not logged');
    }
  }
}
