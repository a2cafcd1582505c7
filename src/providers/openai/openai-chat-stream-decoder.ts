import { z } from 'zod';
import { isJsonObject } from '../../core/json.js';
import { emptyUsage, type FinishReason, type Usage } from '../../core/model/canonical-response.js';
import type { ParsedSseEvent } from '../../core/model/parse-sse-text.js';
import { safeParseJson } from '../../core/model/safe-parse-json.js';
import type { StreamEvent } from '../../core/model/stream-event.js';
import {
  openAIChatUsageSchema,
  parseOpenAIChatUsage,
  parseOpenAIFinishReason,
} from './parse-openai-chat-usage.js';

/** Turns the SSE events of one Chat Completions stream into canonical stream events. */
export interface OpenAIChatStreamDecoder {
  /** The canonical events for one SSE event. */
  push(event: ParsedSseEvent): StreamEvent[];
  /**
   * Call when the upstream stream ended. Emits `finish` when a finish reason was seen but `[DONE]`
   * never came (some compatible servers omit it), an `error` when the stream was cut short.
   */
  end(): StreamEvent[];
}

// Event schemas drop unknown fields (`z.object`) instead of copying them: the decoder reads none.
const chunkSchema = z.object({
  id: z.string().nullish(),
  model: z.string().nullish(),
  created: z.number().nullish(),
  choices: z
    .array(
      z.object({
        index: z.number().nullish(),
        delta: z
          .object({
            content: z.string().nullish(),
            reasoning_content: z.string().nullish(),
            reasoning: z.string().nullish(),
            tool_calls: z
              .array(
                z.object({
                  index: z.number().nullish(),
                  id: z.string().nullish(),
                  function: z
                    .object({ name: z.string().nullish(), arguments: z.string().nullish() })
                    .nullish(),
                }),
              )
              .nullish(),
          })
          .nullish(),
        finish_reason: z.string().nullish(),
      }),
    )
    .nullish(),
  usage: openAIChatUsageSchema.nullish(),
});
type Chunk = z.infer<typeof chunkSchema>;
type ToolCallDelta = NonNullable<
  NonNullable<NonNullable<Chunk['choices']>[number]['delta']>['tool_calls']
>[number];

const errorSchema = z.object({
  error: z.object({ message: z.string().nullish(), type: z.string().nullish(), code: z.unknown() }),
});

interface ToolCallState {
  id: string;
  name: string;
  input: string;
}

/**
 * Creates the decoder for one upstream stream; the caller owns the SSE parser. Text blocks are
 * `text-0`, `text-1`, … and reasoning blocks `reasoning-0`, … (a new block starts each time the
 * kind of content changes); tool calls use their `call_…` id. Tool-call argument deltas are
 * collected by `index`; a tool call is complete when the next one starts or the choice finishes.
 * `finish` waits for `[DONE]` because the usage chunk comes after the finish reason.
 */
export function createOpenAIChatStreamDecoder(): OpenAIChatStreamDecoder {
  const decoder = new OpenAIChatStreamState();
  return { push: (event) => decoder.push(event), end: () => decoder.end() };
}

class OpenAIChatStreamState {
  private metadataSent = false;
  private open: { kind: 'text' | 'reasoning'; id: string } | null = null;
  private blockCount = 0;
  private readonly tools = new Map<number, ToolCallState>();
  private activeTool: number | null = null;
  private finishReason: FinishReason | null = null;
  private usage: Usage = emptyUsage();
  private done = false;

  push(event: ParsedSseEvent): StreamEvent[] {
    if (this.done) return [];
    if (event.data.trim() === '[DONE]') return this.complete();
    const data = safeParseJson(event.data);
    if (!isJsonObject(data))
      return this.fail('invalid_stream', 'upstream sent an SSE event that is not a JSON object');
    const error = errorSchema.safeParse(data);
    if (error.success) {
      const { type, code, message } = error.data.error;
      return this.fail(
        type ?? (typeof code === 'string' ? code : 'unknown'),
        message ?? 'upstream stream error',
      );
    }
    const chunk = chunkSchema.safeParse(data);
    return chunk.success ? this.chunk(chunk.data) : [];
  }

  end(): StreamEvent[] {
    if (this.done) return [];
    if (this.finishReason !== null) return this.complete();
    return this.fail('incomplete_stream', 'upstream stream ended before a finish reason');
  }

  private fail(type: string, message: string): StreamEvent[] {
    this.done = true;
    return [{ type: 'error', error: { type, message } }];
  }

  private complete(): StreamEvent[] {
    this.done = true;
    return [
      ...this.closeAll(),
      { type: 'finish', finishReason: this.finishReason ?? 'other', usage: this.usage },
    ];
  }

  private chunk(chunk: Chunk): StreamEvent[] {
    const events: StreamEvent[] = [];
    if (!this.metadataSent && (chunk.id || chunk.model)) {
      this.metadataSent = true;
      const metadata: StreamEvent = { type: 'response-metadata' };
      if (chunk.id) metadata.id = chunk.id;
      if (chunk.model) metadata.model = chunk.model;
      if (typeof chunk.created === 'number') metadata.createdAt = chunk.created * 1000;
      events.push(metadata);
    }
    if (chunk.usage) this.usage = parseOpenAIChatUsage(chunk.usage);
    const choice = chunk.choices?.find((candidate) => (candidate.index ?? 0) === 0);
    const delta = choice?.delta;
    const reasoning = delta?.reasoning_content ?? delta?.reasoning;
    if (reasoning) events.push(...this.contentDelta('reasoning', reasoning));
    if (delta?.content) events.push(...this.contentDelta('text', delta.content));
    for (const call of delta?.tool_calls ?? []) events.push(...this.toolCallDelta(call));
    if (choice?.finish_reason) {
      this.finishReason = parseOpenAIFinishReason(choice.finish_reason);
      events.push(...this.closeAll());
    }
    return events;
  }

  private contentDelta(kind: 'text' | 'reasoning', delta: string): StreamEvent[] {
    const events: StreamEvent[] = [];
    if (this.open?.kind !== kind) {
      events.push(...this.closeAll());
      const id = `${kind}-${this.blockCount++}`;
      this.open = { kind, id };
      events.push({ type: kind === 'text' ? 'text-start' : 'reasoning-start', id });
    }
    const id = this.open?.id ?? '';
    events.push(kind === 'text' ? { type: 'text-delta', id, delta } : { type: 'reasoning-delta', id, delta });
    return events;
  }

  private toolCallDelta(call: ToolCallDelta): StreamEvent[] {
    const index = call.index ?? this.tools.size;
    const events: StreamEvent[] = [];
    let tool = this.tools.get(index);
    if (!tool) {
      events.push(...this.closeAll());
      tool = { id: call.id ?? `call_${index}`, name: call.function?.name ?? '', input: '' };
      this.tools.set(index, tool);
      this.activeTool = index;
      events.push({ type: 'tool-input-start', id: tool.id, name: tool.name });
    }
    const argumentsDelta = call.function?.arguments;
    // Deltas for a call that was already completed (out of order) cannot be re-opened; they are ignored.
    if (argumentsDelta && this.activeTool === index) {
      tool.input += argumentsDelta;
      events.push({ type: 'tool-input-delta', id: tool.id, delta: argumentsDelta });
    }
    return events;
  }

  /** Ends the open text/reasoning block and completes the active tool call. */
  private closeAll(): StreamEvent[] {
    const events: StreamEvent[] = [];
    if (this.open) {
      const { kind, id } = this.open;
      events.push({ type: kind === 'text' ? 'text-end' : 'reasoning-end', id });
      this.open = null;
    }
    const tool = this.activeTool === null ? undefined : this.tools.get(this.activeTool);
    if (tool) {
      events.push({ type: 'tool-input-end', id: tool.id });
      events.push({
        type: 'tool-call',
        id: tool.id,
        name: tool.name,
        input: tool.input === '' ? '{}' : tool.input,
      });
    }
    this.activeTool = null;
    return events;
  }
}
