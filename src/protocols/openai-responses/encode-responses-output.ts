import type { JsonValue } from '../../core/json.js';
import type { FinishReason, Usage } from '../../core/model/canonical-response.js';
import type { ReasoningPart } from '../../core/model/content-part.js';
import { encodeReasoningEnvelope } from './reasoning-envelope.js';
import { clientToolName, type ResponsesToolNames } from './responses-tool-names.js';

/** Request fields a Responses `response` object repeats back, as the client sent them (or their defaults). */
export interface ResponsesRequestEcho {
  model: string;
  instructions: string | null;
  tools: JsonValue[];
  tool_choice: JsonValue;
  parallel_tool_calls: boolean;
  max_output_tokens: number | null;
  temperature: number | null;
  top_p: number | null;
  reasoning: { effort: string | null; summary: string | null };
  text: JsonValue;
  store: boolean;
  previous_response_id: string | null;
  metadata: Record<string, string>;
  truncation: string;
  prompt_cache_key: string | null;
  user: string | null;
}

/** What the Responses encoders need besides the canonical response; the decoder returns all but `id`/`createdAt`. */
export interface ResponsesEncodeOptions {
  /** The response id (`resp_…`) the gateway chose; item ids derive from it. */
  id: string;
  /** When the response was created, epoch ms (sent as seconds). */
  createdAt: number;
  /** Flattened tool names → the client's namespaced names (`DecodedResponsesRequest.encoding.toolNames`). */
  toolNames?: ResponsesToolNames;
  /** `include` contains `reasoning.encrypted_content`: reasoning items carry the provider's opaque values. */
  includeEncryptedReasoning?: boolean;
  /** The request fields to repeat; defaults when absent. */
  echo?: ResponsesRequestEcho;
}

export interface ResponsesOutputText {
  type: 'output_text';
  text: string;
  annotations: [];
  logprobs: [];
}

export type ResponsesOutputItem =
  | {
      id: string;
      type: 'message';
      status: 'in_progress' | 'completed';
      role: 'assistant';
      content: ResponsesOutputText[];
    }
  | {
      id: string;
      type: 'function_call';
      status: 'in_progress' | 'completed';
      call_id: string;
      name: string;
      namespace?: string;
      arguments: string;
    }
  | {
      id: string;
      type: 'reasoning';
      summary: Array<{ type: 'summary_text'; text: string }>;
      encrypted_content?: string;
    };

export interface ResponsesUsage {
  input_tokens: number;
  input_tokens_details: { cached_tokens: number };
  output_tokens: number;
  output_tokens_details: { reasoning_tokens: number };
  total_tokens: number;
}

export type ResponsesStatus = 'in_progress' | 'completed' | 'incomplete' | 'failed';

/** The `response` object of the Responses API (the whole body of a non-streamed response). */
export interface ResponsesResponseObject extends Omit<ResponsesRequestEcho, 'model'> {
  id: string;
  object: 'response';
  created_at: number;
  status: ResponsesStatus;
  background: false;
  error: { code: string; message: string } | null;
  incomplete_details: { reason: string } | null;
  model: string;
  output: ResponsesOutputItem[];
  usage: ResponsesUsage | null;
}

const DEFAULT_ECHO: ResponsesRequestEcho = {
  model: '',
  instructions: null,
  tools: [],
  tool_choice: 'auto',
  parallel_tool_calls: true,
  max_output_tokens: null,
  temperature: null,
  top_p: null,
  reasoning: { effort: null, summary: null },
  text: { format: { type: 'text' } },
  store: true,
  previous_response_id: null,
  metadata: {},
  truncation: 'disabled',
  prompt_cache_key: null,
  user: null,
};

/** The state of a response, what went wrong, and the output and usage so far. */
export interface ResponseState {
  status: ResponsesStatus;
  model?: string;
  output: ResponsesOutputItem[];
  usage: Usage | null;
  error?: { code: string; message: string };
  incompleteReason?: string;
}

export function buildResponseObject(
  options: ResponsesEncodeOptions,
  state: ResponseState,
): ResponsesResponseObject {
  const echo = options.echo ?? DEFAULT_ECHO;
  return {
    ...echo,
    id: options.id,
    object: 'response',
    created_at: Math.floor(options.createdAt / 1000),
    status: state.status,
    background: false,
    error: state.error ?? null,
    incomplete_details: state.incompleteReason ? { reason: state.incompleteReason } : null,
    model: state.model || echo.model,
    output: state.output,
    usage: state.usage ? encodeResponsesUsage(state.usage) : null,
  };
}

export function encodeResponsesUsage(usage: Usage): ResponsesUsage {
  return {
    input_tokens: usage.inputTokens,
    input_tokens_details: { cached_tokens: usage.cacheReadTokens },
    output_tokens: usage.outputTokens,
    output_tokens_details: { reasoning_tokens: usage.reasoningTokens },
    total_tokens: usage.inputTokens + usage.outputTokens,
  };
}

/** How a finish reason ends the response: `length` and `content-filter` make it incomplete, `error` failed. */
export function finishState(
  reason: FinishReason,
): Pick<ResponseState, 'status' | 'incompleteReason' | 'error'> {
  switch (reason) {
    case 'length':
      return { status: 'incomplete', incompleteReason: 'max_output_tokens' };
    case 'content-filter':
      return { status: 'incomplete', incompleteReason: 'content_filter' };
    case 'error':
      return {
        status: 'failed',
        error: { code: 'server_error', message: 'the upstream stopped generating with an error' },
      };
    default:
      return { status: 'completed' };
  }
}

/** `msg_<response>_<index>`, `fc_…`, `rs_…`: unique within the response and stable for it. */
export function itemId(
  prefix: 'msg' | 'fc' | 'rs',
  options: Pick<ResponsesEncodeOptions, 'id'>,
  index: number,
): string {
  return `${prefix}_${options.id.replace(/^resp_/, '')}_${index}`;
}

export function messageItem(
  id: string,
  text: string,
  status: 'in_progress' | 'completed',
): ResponsesOutputItem {
  const content: ResponsesOutputText[] = status === 'completed' ? [outputText(text)] : [];
  return { id, type: 'message', status, role: 'assistant', content };
}

export function outputText(text: string): ResponsesOutputText {
  return { type: 'output_text', text, annotations: [], logprobs: [] };
}

export function functionCallItem(options: {
  id: string;
  callId: string;
  upstreamName: string;
  argumentsText: string;
  status: 'in_progress' | 'completed';
  toolNames: ResponsesToolNames | undefined;
}): ResponsesOutputItem {
  const name = clientToolName(options.upstreamName, options.toolNames);
  return {
    id: options.id,
    type: 'function_call',
    status: options.status,
    call_id: options.callId,
    name: name.name,
    ...('namespace' in name ? { namespace: name.namespace } : {}),
    arguments: options.argumentsText,
  };
}

/**
 * A reasoning item: the whole reasoning text as one summary, and the opaque values as
 * `encrypted_content` when the client asked for them. `undefined` when there is nothing to send.
 */
export function reasoningItem(
  id: string,
  part: Pick<ReasoningPart, 'text' | 'signature' | 'redactedData'>,
  includeEncrypted: boolean,
): ResponsesOutputItem | undefined {
  const encrypted = includeEncrypted ? encodeReasoningEnvelope(part) : undefined;
  if (part.text === '' && encrypted === undefined) return undefined;
  const item: ResponsesOutputItem = {
    id,
    type: 'reasoning',
    summary: part.text === '' ? [] : [{ type: 'summary_text', text: part.text }],
  };
  if (encrypted !== undefined) item.encrypted_content = encrypted;
  return item;
}
