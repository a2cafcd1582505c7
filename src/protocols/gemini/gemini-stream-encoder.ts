import { safeParseJson } from '../../core/model/safe-parse-json.js';
import { sseFrame } from '../../core/model/sse-frame.js';
import type { FinishEvent, StreamEvent, ToolCallEvent } from '../../core/model/stream-event.js';
import { encodeFunctionCall, type GeminiResponsePart } from './encode-gemini-parts.js';
import type { GeminiCandidate, GeminiGenerateContentResponse } from './encode-gemini-response.js';
import { encodeGeminiFinishReason, encodeGeminiUsage } from './encode-gemini-usage.js';
import { encodeThoughtSignature } from './gemini-thought-signature.js';

export interface GeminiStreamEncoderOptions {
  /** `responseId` when no `response-metadata` event supplies one. */
  id?: string;
  /** `modelVersion` when no `response-metadata` event supplies one. */
  model?: string;
  /** Whether thought text goes to the client (`DecodedGeminiRequest.includeThoughts`); default true. */
  includeThoughts?: boolean;
}

/** Turns canonical stream events into Gemini `?alt=sse` chunks, one event at a time. */
export interface GeminiStreamEncoder {
  /** The SSE text for `event` (one `data:` chunk, or '' when it produces none). */
  encode(event: StreamEvent): string;
}

/**
 * Creates the encoder for one response. Every chunk is a whole `GenerateContentResponse` holding
 * the new parts only, as Gemini streams them: text and thought deltas become one part each, a tool
 * call one `functionCall` part once its arguments are complete. A reasoning block's signature ends
 * its thoughts as `{text: "", thought: true, thoughtSignature}`; a block with no text to show passes
 * its signature to the next part (see `encodeGeminiParts`; redacted blocks and withheld text travel
 * in an envelope, see `encodeThoughtSignature`). `finish` sends the finish reason and
 * usage; `error` sends Gemini's `{error: {code, message, status}}`.
 */
export function createGeminiStreamEncoder(options: GeminiStreamEncoderOptions = {}): GeminiStreamEncoder {
  const state = new GeminiStreamState(options);
  return { encode: (event) => state.encode(event) };
}

class GeminiStreamState {
  private readonly includeThoughts: boolean;
  private responseId: string;
  private modelVersion: string;
  /** A signature for the next part (from a reasoning block with no text to show). */
  private pendingSignature: string | undefined;
  /** Reasoning blocks whose text reached the client. */
  private readonly shownReasoning = new Set<string>();
  /** The redacted data of reasoning blocks that started with it. */
  private readonly redactedReasoning = new Map<string, string>();
  /** Thought text the client did not ask for, kept until its block's signature arrives. */
  private readonly withheldText = new Map<string, string>();

  constructor(options: GeminiStreamEncoderOptions) {
    this.includeThoughts = options.includeThoughts ?? true;
    this.responseId = options.id ?? 'switchyard';
    this.modelVersion = options.model ?? 'unknown';
  }

  encode(event: StreamEvent): string {
    switch (event.type) {
      case 'response-metadata':
        this.responseId = event.id ?? this.responseId;
        this.modelVersion = event.model ?? this.modelVersion;
        return '';
      case 'text-delta':
        return event.delta === '' ? '' : this.part({ text: event.delta });
      case 'reasoning-start':
        if (event.redactedData !== undefined) this.redactedReasoning.set(event.id, event.redactedData);
        return '';
      case 'reasoning-delta':
        return this.thought(event.id, event.delta);
      case 'reasoning-end': {
        const redacted = this.redactedReasoning.get(event.id);
        this.redactedReasoning.delete(event.id);
        return this.reasoningEnd(event.id, {
          signature: event.signature,
          redactedData: event.redactedData ?? redacted,
        });
      }
      case 'tool-call':
        return this.part({ functionCall: encodeFunctionCall(event.id, event.name, parseArguments(event)) });
      case 'finish':
        return this.finish(event);
      case 'error':
        return sseFrame({ error: { ...geminiErrorStatus(event.error.type), message: event.error.message } });
      default:
        // Block starts and ends carry nothing Gemini sends; tool input arrives whole with `tool-call`.
        return '';
    }
  }

  private chunk(
    candidate: Omit<GeminiCandidate, 'index'>,
    extra: Partial<GeminiGenerateContentResponse> = {},
  ) {
    const body: GeminiGenerateContentResponse = {
      candidates: [{ ...candidate, index: 0 }],
      ...extra,
      modelVersion: this.modelVersion,
      responseId: this.responseId,
    };
    return sseFrame(body);
  }

  /** One part in its own chunk, carrying the pending signature if there is one. */
  private part(value: GeminiResponsePart): string {
    const signature = this.pendingSignature;
    this.pendingSignature = undefined;
    const signed = signature === undefined ? value : { ...value, thoughtSignature: signature };
    return this.chunk({ content: { role: 'model', parts: [signed] } });
  }

  private thought(id: string, delta: string): string {
    if (delta === '') return '';
    if (!this.includeThoughts) {
      this.withheldText.set(id, (this.withheldText.get(id) ?? '') + delta);
      return '';
    }
    this.shownReasoning.add(id);
    // A signature waiting for the next part belongs to the earlier block, not to these thoughts.
    const flushed = this.pendingSignature === undefined ? '' : this.part({ text: '' });
    return flushed + this.part({ text: delta, thought: true });
  }

  private reasoningEnd(
    id: string,
    opaque: { signature: string | undefined; redactedData: string | undefined },
  ): string {
    const shown = this.shownReasoning.delete(id);
    const text = this.withheldText.get(id) ?? '';
    this.withheldText.delete(id);
    const signature = encodeThoughtSignature(
      {
        text,
        ...(opaque.signature === undefined ? {} : { signature: opaque.signature }),
        ...(opaque.redactedData === undefined ? {} : { redactedData: opaque.redactedData }),
      },
      { textSent: false },
    );
    if (signature === undefined) return '';
    if (shown) {
      const part = { text: '', thought: true, thoughtSignature: signature };
      return this.chunk({ content: { role: 'model', parts: [part] } });
    }
    const flushed = this.pendingSignature === undefined ? '' : this.part({ text: '' });
    this.pendingSignature = signature;
    return flushed;
  }

  private finish(event: FinishEvent): string {
    const candidate: Omit<GeminiCandidate, 'index'> = {
      finishReason: encodeGeminiFinishReason(event.finishReason),
    };
    if (this.pendingSignature !== undefined) {
      candidate.content = { role: 'model', parts: [{ text: '', thoughtSignature: this.pendingSignature }] };
      this.pendingSignature = undefined;
    }
    return this.chunk(candidate, { usageMetadata: encodeGeminiUsage(event.usage) });
  }
}

function parseArguments(event: ToolCallEvent): unknown {
  return safeParseJson(event.input === '' ? '{}' : event.input) ?? {};
}

/** The canonical error type (an upstream's type or code) → Gemini's HTTP code and status name. */
function geminiErrorStatus(type: string): { code: number; status: string } {
  const lower = type.toLowerCase();
  if (lower.includes('overloaded') || lower.includes('unavailable'))
    return { code: 503, status: 'UNAVAILABLE' };
  if (lower.includes('rate_limit') || lower.includes('resource_exhausted')) {
    return { code: 429, status: 'RESOURCE_EXHAUSTED' };
  }
  return { code: 500, status: 'INTERNAL' };
}
