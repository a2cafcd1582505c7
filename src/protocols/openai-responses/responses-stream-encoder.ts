import type { Usage } from '../../core/model/canonical-response.js';
import { sseFrame } from '../../core/model/sse-frame.js';
import type { FinishEvent, StreamEvent, ToolCallEvent } from '../../core/model/stream-event.js';
import {
  buildResponseObject,
  finishState,
  type ResponseState,
  type ResponsesEncodeOptions,
  type ResponsesOutputItem,
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

type OpenItem = MessageStreamItem | ReasoningStreamItem | FunctionCallStreamItem;

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
  let sequence = 0;
  let started = false;
  let ended = false;
  let model: string | undefined;
  let open: OpenItem | null = null;
  const output: ResponsesOutputItem[] = [];

  const emit = (type: string, payload: Record<string, unknown>): string =>
    sseFrame({ type, sequence_number: sequence++, ...payload }, type);

  function response(state: Omit<ResponseState, 'output' | 'model'>) {
    return buildResponseObject(options, { ...state, output: [...output], ...(model ? { model } : {}) });
  }

  function start(): string {
    if (started) return '';
    started = true;
    const inProgress = response({ status: 'in_progress', usage: null });
    return (
      emit('response.created', { response: inProgress }) +
      emit('response.in_progress', { response: inProgress })
    );
  }

  function context(): StreamItemContext {
    // Callers close the open item first, so the new item comes right after the finished ones.
    return { emit, options, outputIndex: output.length };
  }

  function settle(closed: ClosedItem): string {
    if (closed.item) output.push(closed.item);
    return closed.text;
  }

  /** Closes the open item; a reasoning item takes the opaque values that arrive with its end. */
  function close(end?: { signature?: string | undefined; redactedData?: string | undefined }): string {
    const item = open;
    if (!item) return '';
    open = null;
    if (item instanceof ReasoningStreamItem) return settle(item.close(end));
    return settle(item.close());
  }

  function openItem(item: OpenItem, startText: string): string {
    open = item;
    return startText;
  }

  function toolCall(event: ToolCallEvent): string {
    if (open instanceof FunctionCallStreamItem && open.blockId === event.id) {
      const item = open;
      open = null;
      return settle(item.close(event.input));
    }
    const text = close();
    const item = new FunctionCallStreamItem(event.id, context(), event.name);
    return text + item.start() + item.delta(event.input) + settle(item.close(event.input));
  }

  function end(
    state: Omit<ResponseState, 'output' | 'model' | 'usage'>,
    usage: Usage | null,
    type: string,
  ): string {
    ended = true;
    const text = start() + close();
    return text + emit(type, { response: response({ ...state, usage }) });
  }

  /** An error leaves the open item unfinished: a half-streamed function call must never look complete. */
  function fail(event: Extract<StreamEvent, { type: 'error' }>): string {
    open = null;
    const error = { code: event.error.type, message: event.error.message };
    return end({ status: 'failed', error }, null, 'response.failed');
  }

  function finish(event: FinishEvent): string {
    const state = finishState(event.finishReason);
    const type = state.status === 'completed' ? 'response.completed' : `response.${state.status}`;
    return end(state, event.usage, type);
  }

  function encode(event: StreamEvent): string {
    if (ended) return '';
    const prefix = start();
    switch (event.type) {
      case 'response-metadata':
        model = event.model ?? model;
        return prefix;
      case 'text-start':
        return prefix + close() + openText(event.id);
      case 'text-delta':
        return prefix + ensureText(event.id) + (open as MessageStreamItem).delta(event.delta);
      case 'reasoning-start':
        return (
          prefix + close() + openItem(new ReasoningStreamItem(event.id, context(), event.redactedData), '')
        );
      case 'reasoning-delta':
        return prefix + ensureReasoning(event.id) + (open as ReasoningStreamItem).delta(event.delta);
      case 'reasoning-end':
        return prefix + (open?.blockId === event.id ? close(event) : '');
      case 'tool-input-start': {
        const text = close();
        const item = new FunctionCallStreamItem(event.id, context(), event.name);
        return prefix + text + openItem(item, item.start());
      }
      case 'tool-input-delta':
        return prefix + (open?.blockId === event.id ? open.delta(event.delta) : '');
      case 'tool-call':
        return prefix + toolCall(event);
      case 'text-end':
      case 'tool-input-end':
        // A tool call's item stays open until its `tool-call` event brings the complete arguments.
        return prefix + (event.type === 'text-end' && open?.blockId === event.id ? close() : '');
      case 'finish':
        return prefix + finish(event);
      case 'error':
        return prefix + fail(event);
    }
  }

  function openText(id: string): string {
    const item = new MessageStreamItem(id, context());
    return openItem(item, item.start());
  }

  /** Opens a message for a text delta that arrived without its start event. */
  function ensureText(id: string): string {
    if (open instanceof MessageStreamItem && open.blockId === id) return '';
    return close() + openText(id);
  }

  function ensureReasoning(id: string): string {
    if (open instanceof ReasoningStreamItem && open.blockId === id) return '';
    return close() + openItem(new ReasoningStreamItem(id, context(), undefined), '');
  }

  return { encode };
}
