import {
  functionCallItem,
  itemId,
  messageItem,
  outputText,
  type ResponsesEncodeOptions,
  type ResponsesOutputItem,
  reasoningItem,
} from './encode-responses-output.js';

/** Writes one Responses stream event (adding its `sequence_number`) and returns its SSE text. */
export type EmitEvent = (type: string, payload: Record<string, unknown>) => string;

export interface StreamItemContext {
  emit: EmitEvent;
  options: ResponsesEncodeOptions;
  outputIndex: number;
}

/** What closing an item wrote, and the finished item for the response's `output` (none when skipped). */
export interface ClosedItem {
  text: string;
  item?: ResponsesOutputItem;
}

/** One output item being streamed; `blockId` is the canonical block (or tool-call) id it follows. */
export interface OpenStreamItem {
  readonly kind: 'text' | 'reasoning' | 'tool';
  readonly blockId: string;
  delta(text: string): string;
}

/** An assistant message: item added, one `output_text` part, text deltas, then the `done` events. */
export class MessageStreamItem implements OpenStreamItem {
  readonly kind = 'text';
  private readonly id: string;
  private text = '';

  constructor(
    readonly blockId: string,
    private readonly context: StreamItemContext,
  ) {
    this.id = itemId('msg', context.options, context.outputIndex);
  }

  start(): string {
    const { emit, outputIndex } = this.context;
    return (
      emit('response.output_item.added', {
        output_index: outputIndex,
        item: messageItem(this.id, '', 'in_progress'),
      }) + emit('response.content_part.added', { ...this.at(), part: outputText('') })
    );
  }

  delta(text: string): string {
    this.text += text;
    return this.context.emit('response.output_text.delta', { ...this.at(), delta: text, logprobs: [] });
  }

  close(): ClosedItem {
    const { emit, outputIndex } = this.context;
    const item = messageItem(this.id, this.text, 'completed');
    const text =
      emit('response.output_text.done', { ...this.at(), text: this.text, logprobs: [] }) +
      emit('response.content_part.done', { ...this.at(), part: outputText(this.text) }) +
      emit('response.output_item.done', { output_index: outputIndex, item });
    return { text, item };
  }

  private at() {
    return { item_id: this.id, output_index: this.context.outputIndex, content_index: 0 };
  }
}

/**
 * A reasoning item. It is only announced once it has something to show (summary text, or opaque
 * values the client asked for), so signature-only blocks of clients that did not ask leave no trace.
 */
export class ReasoningStreamItem implements OpenStreamItem {
  readonly kind = 'reasoning';
  private readonly id: string;
  private text = '';
  private added = false;

  constructor(
    readonly blockId: string,
    private readonly context: StreamItemContext,
    private readonly redactedData: string | undefined,
  ) {
    this.id = itemId('rs', context.options, context.outputIndex);
  }

  delta(text: string): string {
    if (text === '') return '';
    const { emit } = this.context;
    let written = this.announce();
    if (this.text === '') {
      written += emit('response.reasoning_summary_part.added', {
        ...this.at(),
        part: { type: 'summary_text', text: '' },
      });
    }
    this.text += text;
    return written + emit('response.reasoning_summary_text.delta', { ...this.at(), delta: text });
  }

  close(end: { signature?: string | undefined; redactedData?: string | undefined } = {}): ClosedItem {
    const part = { text: this.text, ...opaqueValues(end.signature, end.redactedData ?? this.redactedData) };
    const item = reasoningItem(this.id, part, this.context.options.includeEncryptedReasoning ?? false);
    if (!item) return { text: '' };
    const { emit, outputIndex } = this.context;
    let text = this.announce();
    if (this.text !== '') {
      const summary = { type: 'summary_text', text: this.text };
      text +=
        emit('response.reasoning_summary_text.done', { ...this.at(), text: this.text }) +
        emit('response.reasoning_summary_part.done', { ...this.at(), part: summary });
    }
    return { text: text + emit('response.output_item.done', { output_index: outputIndex, item }), item };
  }

  private announce(): string {
    if (this.added) return '';
    this.added = true;
    const item = { id: this.id, type: 'reasoning', summary: [] };
    return this.context.emit('response.output_item.added', { output_index: this.context.outputIndex, item });
  }

  private at() {
    return { item_id: this.id, output_index: this.context.outputIndex, summary_index: 0 };
  }
}

function opaqueValues(signature: string | undefined, redactedData: string | undefined) {
  return {
    ...(signature === undefined ? {} : { signature }),
    ...(redactedData === undefined ? {} : { redactedData }),
  };
}

/** A function call: item added with empty arguments, argument deltas, then the `done` events. */
export class FunctionCallStreamItem implements OpenStreamItem {
  readonly kind = 'tool';
  private readonly id: string;
  private argumentsText = '';

  constructor(
    readonly blockId: string,
    private readonly context: StreamItemContext,
    private readonly upstreamName: string,
  ) {
    this.id = itemId('fc', context.options, context.outputIndex);
  }

  start(): string {
    return this.context.emit('response.output_item.added', {
      output_index: this.context.outputIndex,
      item: this.item('', 'in_progress'),
    });
  }

  delta(text: string): string {
    if (text === '') return '';
    this.argumentsText += text;
    return this.context.emit('response.function_call_arguments.delta', { ...this.at(), delta: text });
  }

  /** `input` is the complete arguments text when the `tool-call` event gave it; it wins over the deltas. */
  close(input?: string): ClosedItem {
    const argumentsText = input ?? this.argumentsText;
    const item = this.item(argumentsText, 'completed');
    const name = item.type === 'function_call' ? item.name : this.upstreamName;
    const { emit, outputIndex } = this.context;
    const text =
      emit('response.function_call_arguments.done', { ...this.at(), name, arguments: argumentsText }) +
      emit('response.output_item.done', { output_index: outputIndex, item });
    return { text, item };
  }

  private item(argumentsText: string, status: 'in_progress' | 'completed'): ResponsesOutputItem {
    return functionCallItem({
      id: this.id,
      callId: this.blockId,
      upstreamName: this.upstreamName,
      argumentsText,
      status,
      toolNames: this.context.options.toolNames,
    });
  }

  private at() {
    return { item_id: this.id, output_index: this.context.outputIndex };
  }
}
