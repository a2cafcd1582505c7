import { isJsonObject } from '../../core/json.js';
import type { ParsedSseEvent } from '../../core/model/parse-sse-text.js';
import { safeParseJson } from '../../core/model/safe-parse-json.js';
import type { StreamEvent } from '../../core/model/stream-event.js';
import {
  type GeminiResponse,
  type GeminiResponsePart,
  geminiCallId,
  geminiResponseSchema,
  parseGeminiFinishReason,
  parseGeminiUsage,
} from './parse-gemini-parts.js';

/** Turns the SSE events of one Gemini `streamGenerateContent?alt=sse` stream into canonical events. */
export interface GeminiStreamDecoder {
  /** The canonical events for one SSE event (one chunk). */
  push(event: ParsedSseEvent): StreamEvent[];
  /** Call when the upstream stream ended; an `error` event when it ended before a finish reason. */
  end(): StreamEvent[];
}

export interface GeminiStreamDecoderOptions {
  /** Takes each chunk out of an envelope (Code Assist wraps it in `{response}`); identity by default. */
  unwrap?: (chunk: unknown) => unknown;
}

/**
 * Creates the decoder for one upstream stream. Each chunk is a whole `GenerateContentResponse` with
 * the new parts only. Text parts become a text block, `thought` parts a reasoning block (ended with
 * the signature when a thought part carries one), function calls `tool-call` events; a signature on
 * another part becomes an empty reasoning block just before it, the same rule as `parseGeminiParts`.
 * The chunk with a finish reason ends the stream with `finish` and that chunk's usage; an `error`
 * chunk ends it with `error`.
 */
export function createGeminiStreamDecoder(options: GeminiStreamDecoderOptions = {}): GeminiStreamDecoder {
  const state = new GeminiStreamState(options.unwrap ?? ((chunk) => chunk));
  return { push: (event) => state.push(event), end: () => state.end() };
}

type OpenBlock = { kind: 'text' | 'reasoning'; id: string } | null;

class GeminiStreamState {
  private started = false;
  private done = false;
  private open: OpenBlock = null;
  private blockCount = 0;
  private callCount = 0;
  private responseKey = '';
  private lastUsage: GeminiResponse['usageMetadata'];

  constructor(private readonly unwrap: (chunk: unknown) => unknown) {}

  push(event: ParsedSseEvent): StreamEvent[] {
    if (this.done || event.data.trim() === '' || event.data === '[DONE]') return [];
    const chunk = this.unwrap(safeParseJson(event.data));
    if (!isJsonObject(chunk))
      return this.fail('invalid_stream', 'upstream sent a chunk that is not a JSON object');
    if (isJsonObject(chunk.error)) {
      const { status, message } = chunk.error;
      return this.fail(
        typeof status === 'string' ? status : 'unknown',
        String(message ?? 'upstream stream error'),
      );
    }
    const parsed = geminiResponseSchema.safeParse(chunk);
    if (!parsed.success)
      return this.fail('invalid_stream', 'upstream sent a chunk that is not a Gemini response');
    return this.chunk(parsed.data, event.data);
  }

  end(): StreamEvent[] {
    if (this.done) return [];
    return [
      ...this.close(),
      ...this.fail('incomplete_stream', 'upstream stream ended without a finish reason'),
    ];
  }

  private fail(type: string, message: string): StreamEvent[] {
    this.done = true;
    return [{ type: 'error', error: { type, message } }];
  }

  private chunk(response: GeminiResponse, raw: string): StreamEvent[] {
    const events: StreamEvent[] = [];
    if (!this.started) {
      this.started = true;
      this.responseKey = response.responseId ?? raw;
      const metadata: StreamEvent = { type: 'response-metadata' };
      if (response.responseId !== undefined) metadata.id = response.responseId;
      if (response.modelVersion !== undefined) metadata.model = response.modelVersion;
      events.push(metadata);
    }
    if (response.usageMetadata) this.lastUsage = response.usageMetadata;
    const candidate = response.candidates?.[0];
    for (const part of candidate?.content?.parts ?? []) events.push(...this.part(part));
    const blocked = !candidate && Boolean(response.promptFeedback?.blockReason);
    if (candidate?.finishReason || blocked) {
      this.done = true;
      events.push(...this.close(), {
        type: 'finish',
        finishReason: blocked
          ? 'content-filter'
          : parseGeminiFinishReason(candidate?.finishReason, this.callCount > 0),
        usage: parseGeminiUsage(this.lastUsage),
      });
    }
    return events;
  }

  private part(part: GeminiResponsePart): StreamEvent[] {
    if (part.thought) return this.thought(part);
    const events: StreamEvent[] = [];
    if (this.open?.kind === 'reasoning') events.push(...this.close());
    if (part.thoughtSignature) {
      const id = this.nextId('reasoning');
      events.push(
        ...this.close(),
        { type: 'reasoning-start', id },
        { type: 'reasoning-end', id, signature: part.thoughtSignature },
      );
    }
    if (part.functionCall) {
      const { name, args, id } = part.functionCall;
      const callId = id || geminiCallId({ name, index: this.callCount, responseKey: this.responseKey });
      this.callCount++;
      events.push(...this.close(), {
        type: 'tool-call',
        id: callId,
        name,
        input: JSON.stringify(args ?? {}),
      });
    } else if (part.text) {
      events.push(...this.openBlock('text'), { type: 'text-delta', id: this.openId(), delta: part.text });
    }
    return events;
  }

  private thought(part: GeminiResponsePart): StreamEvent[] {
    const events = this.openBlock('reasoning');
    const id = this.openId();
    if (part.text) events.push({ type: 'reasoning-delta', id, delta: part.text });
    if (part.thoughtSignature) {
      events.push({ type: 'reasoning-end', id, signature: part.thoughtSignature });
      this.open = null;
    }
    return events;
  }

  /** Starts a block of `kind` unless one is open, closing a block of the other kind first. */
  private openBlock(kind: 'text' | 'reasoning'): StreamEvent[] {
    if (this.open?.kind === kind) return [];
    const events = this.close();
    const id = this.nextId(kind);
    this.open = { kind, id };
    events.push(kind === 'text' ? { type: 'text-start', id } : { type: 'reasoning-start', id });
    return events;
  }

  private openId(): string {
    return this.open?.id ?? '';
  }

  private close(): StreamEvent[] {
    const open = this.open;
    if (!open) return [];
    this.open = null;
    return [
      open.kind === 'text' ? { type: 'text-end', id: open.id } : { type: 'reasoning-end', id: open.id },
    ];
  }

  private nextId(kind: 'text' | 'reasoning'): string {
    return `${kind}-${this.blockCount++}`;
  }
}
