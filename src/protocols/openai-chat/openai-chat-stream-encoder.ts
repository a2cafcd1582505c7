import { sseFrame } from '../../core/model/sse-frame.js';
import type { FinishEvent, StreamEvent, ToolCallEvent } from '../../core/model/stream-event.js';
import { encodeOpenAIChatUsage, encodeOpenAIFinishReason } from './encode-openai-chat-usage.js';

export interface OpenAIChatStreamEncoderOptions {
  /** Chunk id when no `response-metadata` event supplies one first. */
  id?: string;
  /** Model when no `response-metadata` event supplies one first. */
  model?: string;
  /** Epoch ms for `created` when no `response-metadata` event supplies it first. */
  now?: number;
  /** The client asked for `stream_options.include_usage`: send a final chunk with usage and no choices. */
  includeUsage?: boolean;
}

/** Turns canonical stream events into Chat Completions SSE text, one event at a time. */
export interface OpenAIChatStreamEncoder {
  /** The SSE text for `event` (possibly several chunks, or '' when it produces none). */
  encode(event: StreamEvent): string;
}

/**
 * Creates the encoder for one response. The first chunk carries `role: "assistant"`; text goes to
 * `delta.content`, reasoning to `delta.reasoning_content`, tool calls to `delta.tool_calls`
 * numbered by `index` in the order they start. `finish` writes the `finish_reason` chunk, the usage
 * chunk when asked for, and `data: [DONE]`. An `error` event becomes `data: {"error": …}`.
 */
export function createOpenAIChatStreamEncoder(
  options: OpenAIChatStreamEncoderOptions = {},
): OpenAIChatStreamEncoder {
  const writer = new OpenAIChatSseWriter(options);
  return { encode: (event) => writer.encode(event) };
}

class OpenAIChatSseWriter {
  private started = false;
  private id: string;
  private model: string;
  private createdSeconds: number;
  private readonly includeUsage: boolean;
  /** Tool-call id → its `index` in `delta.tool_calls`. */
  private readonly toolIndexes = new Map<string, number>();

  constructor(options: OpenAIChatStreamEncoderOptions) {
    this.id = options.id ?? 'chatcmpl-switchyard';
    this.model = options.model ?? 'unknown';
    this.createdSeconds = Math.floor((options.now ?? 0) / 1000);
    this.includeUsage = options.includeUsage ?? false;
  }

  encode(event: StreamEvent): string {
    if (event.type === 'response-metadata' && !this.started) {
      this.id = event.id ?? this.id;
      this.model = event.model ?? this.model;
      if (event.createdAt !== undefined) this.createdSeconds = Math.floor(event.createdAt / 1000);
    }
    if (event.type === 'error') {
      return sseFrame({
        error: { message: event.error.message, type: event.error.type, param: null, code: null },
      });
    }
    const start = this.start();
    switch (event.type) {
      case 'text-delta':
        return start + this.chunk({ content: event.delta });
      case 'reasoning-delta':
        return start + this.chunk({ reasoning_content: event.delta });
      case 'tool-input-start':
        return start + this.toolStart(event.id, event.name, '');
      case 'tool-input-delta': {
        const index = this.toolIndexes.get(event.id);
        if (index === undefined) return start;
        return start + this.chunk({ tool_calls: [{ index, function: { arguments: event.delta } }] });
      }
      case 'tool-call':
        return start + this.toolCall(event);
      case 'finish':
        return start + this.finish(event);
      default:
        return start;
    }
  }

  private start(): string {
    if (this.started) return '';
    this.started = true;
    return this.chunk({ role: 'assistant', content: '' });
  }

  private chunk(delta: object, finishReason: string | null = null): string {
    return sseFrame({
      id: this.id,
      object: 'chat.completion.chunk',
      created: this.createdSeconds,
      model: this.model,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
    });
  }

  private toolStart(id: string, name: string, input: string): string {
    const index = this.toolIndexes.size;
    this.toolIndexes.set(id, index);
    return this.chunk({
      tool_calls: [{ index, id, type: 'function', function: { name, arguments: input } }],
    });
  }

  /** A complete tool call: nothing more when its input was streamed, the whole call otherwise. */
  private toolCall(event: ToolCallEvent): string {
    if (this.toolIndexes.has(event.id)) return '';
    return this.toolStart(event.id, event.name, event.input);
  }

  private finish(event: FinishEvent): string {
    let text = this.chunk({}, encodeOpenAIFinishReason(event.finishReason));
    if (this.includeUsage) {
      text += sseFrame({
        id: this.id,
        object: 'chat.completion.chunk',
        created: this.createdSeconds,
        model: this.model,
        choices: [],
        usage: encodeOpenAIChatUsage(event.usage),
      });
    }
    return text + sseFrame('[DONE]');
  }
}
