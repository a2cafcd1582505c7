import { z } from 'zod';
import { isJsonObject } from '../../core/json.js';
import { emptyUsage, type FinishReason, type Usage } from '../../core/model/canonical-response.js';
import type { ParsedSseEvent } from '../../core/model/parse-sse-text.js';
import { safeParseJson } from '../../core/model/safe-parse-json.js';
import type { StreamEvent } from '../../core/model/stream-event.js';
import {
  anthropicUsageSchema,
  parseAnthropicStopReason,
  parseAnthropicUsage,
} from './parse-anthropic-usage.js';

/** Turns the SSE events of one Anthropic Messages stream into canonical stream events. */
export interface AnthropicStreamDecoder {
  /** The canonical events for one SSE event (often one, sometimes none or two). */
  push(event: ParsedSseEvent): StreamEvent[];
  /**
   * Call when the upstream stream ended. Returns an `error` event when it ended before
   * `message_stop` (and no error was reported), so a truncated stream never looks complete.
   */
  end(): StreamEvent[];
}

// Event schemas drop unknown fields (`z.object`) instead of copying them: the decoder reads none.
const messageStartSchema = z.object({
  message: z.object({
    id: z.string().optional(),
    model: z.string().optional(),
    usage: anthropicUsageSchema.nullish(),
  }),
});
const blockStartSchema = z.object({
  index: z.number(),
  content_block: z.object({
    type: z.string(),
    id: z.string().optional(),
    name: z.string().optional(),
    text: z.string().optional(),
    thinking: z.string().optional(),
    data: z.string().optional(),
  }),
});
const blockDeltaSchema = z.object({
  index: z.number(),
  delta: z.object({
    type: z.string(),
    text: z.string().optional(),
    thinking: z.string().optional(),
    signature: z.string().optional(),
    partial_json: z.string().optional(),
  }),
});
const blockStopSchema = z.object({ index: z.number() });
const messageDeltaSchema = z.object({
  delta: z.object({ stop_reason: z.string().nullish(), stop_sequence: z.string().nullish() }).optional(),
  usage: anthropicUsageSchema.nullish(),
});
const errorSchema = z.object({
  error: z.object({ type: z.string().optional(), message: z.string().optional() }).optional(),
});

type Block =
  | { kind: 'text'; id: string }
  | { kind: 'reasoning'; id: string; signature: string }
  | { kind: 'tool'; id: string; name: string; input: string };

/**
 * Creates the decoder for one upstream stream. The caller owns the SSE parser and feeds each
 * parsed event. Block ids: text and reasoning blocks use their Anthropic block index, tool blocks
 * their `toolu_…` id. Server-tool blocks and `ping` produce nothing.
 */
export function createAnthropicStreamDecoder(): AnthropicStreamDecoder {
  const decoder = new AnthropicStreamState();
  return { push: (event) => decoder.push(event), end: () => decoder.end() };
}

class AnthropicStreamState {
  private readonly blocks = new Map<number, Block>();
  private usage: Usage = emptyUsage();
  private finishReason: FinishReason = 'other';
  private stopSequence: string | undefined;
  private done = false;

  push(event: ParsedSseEvent): StreamEvent[] {
    if (this.done) return [];
    const data = safeParseJson(event.data);
    if (!isJsonObject(data))
      return this.fail('invalid_stream', 'upstream sent an SSE event that is not a JSON object');
    const type = typeof data.type === 'string' ? data.type : event.event;
    switch (type) {
      case 'message_start':
        return this.messageStart(messageStartSchema.safeParse(data));
      case 'content_block_start':
        return this.blockStart(blockStartSchema.safeParse(data));
      case 'content_block_delta':
        return this.blockDelta(blockDeltaSchema.safeParse(data));
      case 'content_block_stop':
        return this.blockStop(blockStopSchema.safeParse(data));
      case 'message_delta':
        return this.messageDelta(messageDeltaSchema.safeParse(data));
      case 'message_stop':
        this.done = true;
        return [this.finish()];
      case 'error': {
        const error = errorSchema.safeParse(data).data?.error;
        return this.fail(error?.type ?? 'unknown', error?.message ?? 'upstream stream error');
      }
      default:
        return [];
    }
  }

  end(): StreamEvent[] {
    if (this.done) return [];
    return this.fail('incomplete_stream', 'upstream stream ended before message_stop');
  }

  private fail(type: string, message: string): StreamEvent[] {
    this.done = true;
    return [{ type: 'error', error: { type, message } }];
  }

  private finish(): StreamEvent {
    const event: StreamEvent = { type: 'finish', finishReason: this.finishReason, usage: this.usage };
    if (this.stopSequence !== undefined) event.stopSequence = this.stopSequence;
    return event;
  }

  private messageStart(parsed: z.ZodSafeParseResult<z.infer<typeof messageStartSchema>>): StreamEvent[] {
    if (!parsed.success) return [];
    const { id, model, usage } = parsed.data.message;
    this.usage = parseAnthropicUsage(usage);
    const event: StreamEvent = { type: 'response-metadata' };
    if (id !== undefined) event.id = id;
    if (model !== undefined) event.model = model;
    return [event];
  }

  private blockStart(parsed: z.ZodSafeParseResult<z.infer<typeof blockStartSchema>>): StreamEvent[] {
    if (!parsed.success) return [];
    const { index, content_block: block } = parsed.data;
    const id = String(index);
    switch (block.type) {
      case 'text':
        this.blocks.set(index, { kind: 'text', id });
        return block.text
          ? [
              { type: 'text-start', id },
              { type: 'text-delta', id, delta: block.text },
            ]
          : [{ type: 'text-start', id }];
      case 'thinking':
        this.blocks.set(index, { kind: 'reasoning', id, signature: '' });
        return block.thinking
          ? [
              { type: 'reasoning-start', id },
              { type: 'reasoning-delta', id, delta: block.thinking },
            ]
          : [{ type: 'reasoning-start', id }];
      case 'redacted_thinking':
        this.blocks.set(index, { kind: 'reasoning', id, signature: '' });
        return [{ type: 'reasoning-start', id, redactedData: block.data ?? '' }];
      case 'tool_use': {
        const toolId = block.id ?? `toolu_${index}`;
        this.blocks.set(index, { kind: 'tool', id: toolId, name: block.name ?? '', input: '' });
        return [{ type: 'tool-input-start', id: toolId, name: block.name ?? '' }];
      }
      default:
        return [];
    }
  }

  private blockDelta(parsed: z.ZodSafeParseResult<z.infer<typeof blockDeltaSchema>>): StreamEvent[] {
    if (!parsed.success) return [];
    const block = this.blocks.get(parsed.data.index);
    const { delta } = parsed.data;
    if (!block) return [];
    if (block.kind === 'text' && delta.type === 'text_delta' && delta.text) {
      return [{ type: 'text-delta', id: block.id, delta: delta.text }];
    }
    if (block.kind === 'reasoning' && delta.type === 'thinking_delta' && delta.thinking) {
      return [{ type: 'reasoning-delta', id: block.id, delta: delta.thinking }];
    }
    if (block.kind === 'reasoning' && delta.type === 'signature_delta')
      block.signature += delta.signature ?? '';
    if (block.kind === 'tool' && delta.type === 'input_json_delta' && delta.partial_json) {
      block.input += delta.partial_json;
      return [{ type: 'tool-input-delta', id: block.id, delta: delta.partial_json }];
    }
    return [];
  }

  private blockStop(parsed: z.ZodSafeParseResult<z.infer<typeof blockStopSchema>>): StreamEvent[] {
    if (!parsed.success) return [];
    const block = this.blocks.get(parsed.data.index);
    if (!block) return [];
    this.blocks.delete(parsed.data.index);
    switch (block.kind) {
      case 'text':
        return [{ type: 'text-end', id: block.id }];
      case 'reasoning':
        return [
          block.signature
            ? { type: 'reasoning-end', id: block.id, signature: block.signature }
            : { type: 'reasoning-end', id: block.id },
        ];
      case 'tool':
        return [
          { type: 'tool-input-end', id: block.id },
          {
            type: 'tool-call',
            id: block.id,
            name: block.name,
            input: block.input === '' ? '{}' : block.input,
          },
        ];
    }
  }

  /** `message_delta` carries the stop reason and cumulative usage; counts it omits keep their value. */
  private messageDelta(parsed: z.ZodSafeParseResult<z.infer<typeof messageDeltaSchema>>): StreamEvent[] {
    if (!parsed.success) return [];
    const { delta, usage } = parsed.data;
    if (delta?.stop_reason) this.finishReason = parseAnthropicStopReason(delta.stop_reason);
    if (delta?.stop_reason === 'stop_sequence' && delta.stop_sequence)
      this.stopSequence = delta.stop_sequence;
    if (usage) {
      const merged = {
        input_tokens:
          usage.input_tokens ??
          this.usage.inputTokens - this.usage.cacheReadTokens - this.usage.cacheWriteTokens,
        output_tokens: usage.output_tokens ?? this.usage.outputTokens,
        cache_read_input_tokens: usage.cache_read_input_tokens ?? this.usage.cacheReadTokens,
        cache_creation_input_tokens: usage.cache_creation_input_tokens ?? this.usage.cacheWriteTokens,
      };
      this.usage = parseAnthropicUsage(merged);
    }
    return [];
  }
}
