import { sseFrame } from '../../core/model/sse-frame.js';
import type { FinishEvent, StreamEvent, ToolCallEvent } from '../../core/model/stream-event.js';
import { encodeAnthropicStopReason, encodeAnthropicUsage } from './encode-anthropic-usage.js';

export interface AnthropicStreamEncoderOptions {
  /** Message id for `message_start` when no `response-metadata` event supplies one first. */
  id?: string;
  /** Model for `message_start` when no `response-metadata` event supplies one first. */
  model?: string;
}

/** Turns canonical stream events into Anthropic Messages SSE text, one event at a time. */
export interface AnthropicStreamEncoder {
  /** The SSE text for `event` (possibly several SSE events, or '' when it produces none). */
  encode(event: StreamEvent): string;
}

/**
 * Creates the encoder for one response. It emits `message_start` before the first thing it writes,
 * numbers content blocks in the order they start, keeps one block open at a time (a block that
 * starts while another is open closes the other first), and ends with `message_delta` (stop reason
 * and usage) and `message_stop` on `finish`. An `error` event becomes an Anthropic `event: error`.
 */
export function createAnthropicStreamEncoder(
  options: AnthropicStreamEncoderOptions = {},
): AnthropicStreamEncoder {
  const writer = new AnthropicSseWriter(options);
  return { encode: (event) => writer.encode(event) };
}

type BlockKind = 'text' | 'thinking' | 'tool_use';

class AnthropicSseWriter {
  private started = false;
  private messageId: string;
  private model: string;
  private nextIndex = 0;
  private open: { id: string; kind: BlockKind; index: number } | null = null;
  /** Tool-call ids whose block was already written. */
  private readonly toolBlocks = new Set<string>();

  constructor(options: AnthropicStreamEncoderOptions) {
    this.messageId = options.id ?? 'msg_switchyard';
    this.model = options.model ?? 'unknown';
  }

  encode(event: StreamEvent): string {
    switch (event.type) {
      case 'response-metadata':
        if (!this.started) {
          this.messageId = event.id ?? this.messageId;
          this.model = event.model ?? this.model;
        }
        return this.start();
      case 'text-start':
        return this.openBlock(event.id, 'text', { type: 'text', text: '' });
      case 'text-delta':
        return this.ensureOpen(event.id, 'text') + this.delta({ type: 'text_delta', text: event.delta });
      case 'reasoning-start':
        return this.openBlock(
          event.id,
          'thinking',
          event.redactedData === undefined
            ? { type: 'thinking', thinking: '', signature: '' }
            : { type: 'redacted_thinking', data: event.redactedData },
        );
      case 'reasoning-delta':
        return (
          this.ensureOpen(event.id, 'thinking') +
          this.delta({ type: 'thinking_delta', thinking: event.delta })
        );
      case 'reasoning-end':
        if (this.open?.id !== event.id) return '';
        return (
          (event.signature ? this.delta({ type: 'signature_delta', signature: event.signature }) : '') +
          this.close()
        );
      case 'tool-input-start':
        this.toolBlocks.add(event.id);
        return this.openBlock(event.id, 'tool_use', {
          type: 'tool_use',
          id: event.id,
          name: event.name,
          input: {},
        });
      case 'tool-input-delta':
        if (this.open?.id !== event.id || this.open.kind !== 'tool_use') return '';
        return this.delta({ type: 'input_json_delta', partial_json: event.delta });
      case 'text-end':
      case 'tool-input-end':
        return this.open?.id === event.id ? this.close() : '';
      case 'tool-call':
        return this.toolCall(event);
      case 'finish':
        return this.finish(event);
      case 'error':
        return sseFrame(
          { type: 'error', error: { type: event.error.type, message: event.error.message } },
          'error',
        );
    }
  }

  private start(): string {
    if (this.started) return '';
    this.started = true;
    const message = {
      id: this.messageId,
      type: 'message',
      role: 'assistant',
      model: this.model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { input_tokens: 0, output_tokens: 0 },
    };
    return sseFrame({ type: 'message_start', message }, 'message_start');
  }

  private close(): string {
    if (!this.open) return '';
    const frame = sseFrame({ type: 'content_block_stop', index: this.open.index }, 'content_block_stop');
    this.open = null;
    return frame;
  }

  private openBlock(id: string, kind: BlockKind, contentBlock: object): string {
    const text = this.start() + this.close();
    const index = this.nextIndex++;
    this.open = { id, kind, index };
    return (
      text +
      sseFrame({ type: 'content_block_start', index, content_block: contentBlock }, 'content_block_start')
    );
  }

  /** Opens a block for a delta that arrived without its start event (or after another block began). */
  private ensureOpen(id: string, kind: 'text' | 'thinking'): string {
    if (this.open?.id === id && this.open.kind === kind) return '';
    const block =
      kind === 'text' ? { type: 'text', text: '' } : { type: 'thinking', thinking: '', signature: '' };
    return this.openBlock(id, kind, block);
  }

  private delta(body: object): string {
    return sseFrame(
      { type: 'content_block_delta', index: this.open?.index ?? 0, delta: body },
      'content_block_delta',
    );
  }

  /** A complete tool call: nothing more when its input was streamed, the whole block otherwise. */
  private toolCall(event: ToolCallEvent): string {
    if (this.toolBlocks.has(event.id)) return this.open?.id === event.id ? this.close() : '';
    this.toolBlocks.add(event.id);
    const start = this.openBlock(event.id, 'tool_use', {
      type: 'tool_use',
      id: event.id,
      name: event.name,
      input: {},
    });
    const hasInput = event.input !== '' && event.input !== '{}';
    return (
      start +
      (hasInput ? this.delta({ type: 'input_json_delta', partial_json: event.input }) : '') +
      this.close()
    );
  }

  private finish(event: FinishEvent): string {
    const text = this.start() + this.close();
    const messageDelta = {
      type: 'message_delta',
      delta: {
        stop_reason: encodeAnthropicStopReason(event.finishReason, event.stopSequence),
        stop_sequence: event.stopSequence ?? null,
      },
      usage: encodeAnthropicUsage(event.usage),
    };
    return (
      text + sseFrame(messageDelta, 'message_delta') + sseFrame({ type: 'message_stop' }, 'message_stop')
    );
  }
}
