import { safeParseJson } from '../../core/model/safe-parse-json.js';
import { sseFrame } from '../../core/model/sse-frame.js';
import type { StreamEvent, ToolCallEvent } from '../../core/model/stream-event.js';
import { encodeFunctionCall, type GeminiResponsePart } from './encode-gemini-parts.js';
import type { GeminiCandidate, GeminiGenerateContentResponse } from './encode-gemini-response.js';
import { encodeGeminiFinishReason, encodeGeminiUsage } from './encode-gemini-usage.js';

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
 * its signature to the next part (see `encodeGeminiParts`). `finish` sends the finish reason and
 * usage; `error` sends Gemini's `{error: {code, message, status}}`.
 */
export function createGeminiStreamEncoder(options: GeminiStreamEncoderOptions = {}): GeminiStreamEncoder {
  const includeThoughts = options.includeThoughts ?? true;
  let responseId = options.id ?? 'switchyard';
  let modelVersion = options.model ?? 'unknown';
  let pendingSignature: string | undefined;
  // Reasoning blocks whose text reached the client, and the redacted data of those that started so.
  const shownReasoning = new Set<string>();
  const redactedReasoning = new Map<string, string>();

  function chunk(
    candidate: Omit<GeminiCandidate, 'index'>,
    extra: Partial<GeminiGenerateContentResponse> = {},
  ) {
    const body: GeminiGenerateContentResponse = {
      candidates: [{ ...candidate, index: 0 }],
      ...extra,
      modelVersion,
      responseId,
    };
    return sseFrame(body);
  }

  function part(value: GeminiResponsePart): string {
    const signed = pendingSignature === undefined ? value : { ...value, thoughtSignature: pendingSignature };
    pendingSignature = undefined;
    return chunk({ content: { role: 'model', parts: [signed] } });
  }

  function reasoningEnd(id: string, signature: string | undefined): string {
    const shown = shownReasoning.delete(id);
    if (signature === undefined) return '';
    if (shown)
      return chunk({
        content: { role: 'model', parts: [{ text: '', thought: true, thoughtSignature: signature }] },
      });
    const flushed = pendingSignature === undefined ? '' : part({ text: '' });
    pendingSignature = signature;
    return flushed;
  }

  function finish(event: Extract<StreamEvent, { type: 'finish' }>): string {
    const candidate: Omit<GeminiCandidate, 'index'> = {
      finishReason: encodeGeminiFinishReason(event.finishReason),
    };
    if (pendingSignature !== undefined) {
      candidate.content = { role: 'model', parts: [{ text: '', thoughtSignature: pendingSignature }] };
      pendingSignature = undefined;
    }
    return chunk(candidate, { usageMetadata: encodeGeminiUsage(event.usage) });
  }

  function encode(event: StreamEvent): string {
    switch (event.type) {
      case 'response-metadata':
        responseId = event.id ?? responseId;
        modelVersion = event.model ?? modelVersion;
        return '';
      case 'text-delta':
        return event.delta === '' ? '' : part({ text: event.delta });
      case 'reasoning-start':
        if (event.redactedData !== undefined) redactedReasoning.set(event.id, event.redactedData);
        return '';
      case 'reasoning-delta':
        if (!includeThoughts || event.delta === '') return '';
        shownReasoning.add(event.id);
        // A signature waiting for the next part belongs to the earlier block, not to these thoughts.
        return (
          (pendingSignature === undefined ? '' : part({ text: '' })) +
          part({ text: event.delta, thought: true })
        );
      case 'reasoning-end': {
        const redacted = redactedReasoning.get(event.id);
        redactedReasoning.delete(event.id);
        return reasoningEnd(event.id, event.signature ?? event.redactedData ?? redacted);
      }
      case 'tool-call':
        return part({ functionCall: encodeFunctionCall(event.id, event.name, parseArguments(event)) });
      case 'finish':
        return finish(event);
      case 'error':
        return sseFrame({ error: { ...geminiErrorStatus(event.error.type), message: event.error.message } });
      default:
        // Block starts and ends carry nothing Gemini sends; tool input arrives whole with `tool-call`.
        return '';
    }
  }

  return { encode };
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
