import type { Usage } from '../../core/model/canonical-response.js';
import { sseFrame } from '../../core/model/sse-frame.js';
import type {
  FinishEvent,
  StreamErrorEvent,
  StreamEvent,
  ToolCallEvent,
} from '../../core/model/stream-event.js';
import {
  buildResponseObject,
  finishState,
  type ResponseState,
  type ResponsesEncodeOptions,
  type ResponsesOutputItem,
  type ResponsesResponseObject,
} from './encode-responses-output.js';
import {
  type ClosedItem,
  FunctionCallStreamItem,
  MessageStreamItem,
  ReasoningStreamItem,
  type StreamItemContext,
} from './responses-stream-items.js';

/** Turns canonical stream events into Responses API SSE events, one event at a time. */
export interface ResponsesStreamEncoder {
  /** The SSE text for `event` (possibly several SSE events, or '' when it produces none). */
  encode(event: StreamEvent): string;
}

/**
 * Creates the encoder for one response. It writes `response.created` and `response.in_progress`
 * before anything else, then one output item per canonical block (a message per text block, a
 * reasoning item per reasoning block, a `function_call` per tool call) with the item, part and delta
 * events of each, numbering every event with `sequence_number`. One item is open at a time: a block
 * that starts while another is open closes the other first. `finish` ends with `response.completed`
 * (or `response.incomplete` / `response.failed`, see `finishState`) holding the whole response; an
 * `error` event ends with `response.failed`.
 */
export function createResponsesStreamEncoder(options: ResponsesEncodeOptions): ResponsesStreamEncoder {
  const state = new ResponsesStreamState(options);
  return { encode: (event) => state.encode(event) };
}

type OpenItem = MessageStreamItem | ReasoningStreamItem | FunctionCallStreamItem;
type ReasoningEnd = { signature?: string | undefined; redactedData?: string | undefined };

class ResponsesStreamState {
  private sequence = 0;
  private started = false;
  private ended = false;
  private model: string | undefined;
  private open: OpenItem | null = null;
  private readonly output: ResponsesOutputItem[] = [];

  constructor(private readonly options: ResponsesEncodeOptions) {}

  encode(event: StreamEvent): string {
    if (this.ended) return '';
    return this.start() + this.handle(event);
  }

  private handle(event: StreamEvent): string {
    switch (event.type) {
      case 'response-metadata':
        this.model = event.model ?? this.model;
        return '';
      case 'text-start':
        return this.close() + this.openText(event.id);
      case 'text-delta':
        return this.ensureText(event.id) + (this.open as MessageStreamItem).delta(event.delta);
      case 'text-end':
        return this.open?.blockId === event.id ? this.close() : '';
      case 'reasoning-start':
        return this.close() + this.openReasoning(event.id, event.redactedData);
      case 'reasoning-delta':
        return this.ensureReasoning(event.id) + (this.open as ReasoningStreamItem).delta(event.delta);
      case 'reasoning-end':
        return this.open?.blockId === event.id ? this.close(event) : '';
      case 'tool-input-start':
        return this.close() + this.openFunctionCall(event.id, event.name);
      case 'tool-input-delta':
        return this.open?.blockId === event.id ? this.open.delta(event.delta) : '';
      case 'tool-input-end':
        // The item stays open until its `tool-call` event brings the complete arguments.
        return '';
      case 'tool-call':
        return this.toolCall(event);
      case 'finish':
        return this.finish(event);
      case 'error':
        return this.fail(event);
    }
  }

  private emit = (type: string, payload: Record<string, unknown>): string =>
    sseFrame({ type, sequence_number: this.sequence++, ...payload }, type);

  private response(state: Omit<ResponseState, 'output' | 'model'>): ResponsesResponseObject {
    const model = this.model ? { model: this.model } : {};
    return buildResponseObject(this.options, { ...state, output: [...this.output], ...model });
  }

  private start(): string {
    if (this.started) return '';
    this.started = true;
    const inProgress = this.response({ status: 'in_progress', usage: null });
    return (
      this.emit('response.created', { response: inProgress }) +
      this.emit('response.in_progress', { response: inProgress })
    );
  }

  /** Callers close the open item first, so a new item comes right after the finished ones. */
  private context(): StreamItemContext {
    return { emit: this.emit, options: this.options, outputIndex: this.output.length };
  }

  private settle(closed: ClosedItem): string {
    if (closed.item) this.output.push(closed.item);
    return closed.text;
  }

  /** Closes the open item; a reasoning item takes the opaque values that arrive with its end. */
  private close(end?: ReasoningEnd): string {
    const item = this.open;
    if (!item) return '';
    this.open = null;
    return this.settle(item instanceof ReasoningStreamItem ? item.close(end) : item.close());
  }

  private openText(id: string): string {
    const item = new MessageStreamItem(id, this.context());
    this.open = item;
    return item.start();
  }

  private openReasoning(id: string, redactedData: string | undefined): string {
    this.open = new ReasoningStreamItem(id, this.context(), redactedData);
    return '';
  }

  private openFunctionCall(id: string, name: string): string {
    const item = new FunctionCallStreamItem(id, this.context(), name);
    this.open = item;
    return item.start();
  }

  /** Opens a message for a text delta that arrived without its start event. */
  private ensureText(id: string): string {
    if (this.open instanceof MessageStreamItem && this.open.blockId === id) return '';
    return this.close() + this.openText(id);
  }

  private ensureReasoning(id: string): string {
    if (this.open instanceof ReasoningStreamItem && this.open.blockId === id) return '';
    return this.close() + this.openReasoning(id, undefined);
  }

  /** Completes the streamed call of the same id, or writes a call that arrived whole. */
  private toolCall(event: ToolCallEvent): string {
    const open = this.open;
    if (open instanceof FunctionCallStreamItem && open.blockId === event.id) {
      this.open = null;
      return this.settle(open.close(event.input));
    }
    const text = this.close();
    const item = new FunctionCallStreamItem(event.id, this.context(), event.name);
    return text + item.start() + item.delta(event.input) + this.settle(item.close(event.input));
  }

  private finish(event: FinishEvent): string {
    const state = finishState(event.finishReason);
    const type = state.status === 'completed' ? 'response.completed' : `response.${state.status}`;
    return this.end({ ...state, usage: event.usage }, type);
  }

  /** An error leaves the open item unfinished: a half-streamed function call must never look complete. */
  private fail(event: StreamErrorEvent): string {
    this.open = null;
    const error = { code: event.error.type, message: event.error.message };
    return this.end({ status: 'failed', error, usage: null }, 'response.failed');
  }

  private end(
    state: Omit<ResponseState, 'output' | 'model'> & { usage: Usage | null },
    type: string,
  ): string {
    this.ended = true;
    const text = this.close();
    return text + this.emit(type, { response: this.response(state) });
  }
}
