/**
 * The contract between the dispatcher, the per-protocol wire modules and the responder: a wire
 * turns a request into a `Reply` (a JSON answer, or a list of stream events the responder writes
 * with delays and faults).
 */
import type { OkBehaviour, UpstreamError } from './behaviours.js';
import type { PromptSummary, Usage } from './prompt.js';

/** The upstream family of an endpoint. */
export type UpstreamProtocol = 'openai' | 'anthropic' | 'gemini' | 'code-assist' | 'oauth';

/** What an endpoint does. */
export type Operation =
  | 'generate'
  | 'count-tokens'
  | 'list-models'
  | 'load-code-assist'
  | 'fetch-available-models'
  | 'onboard-user'
  | 'get-operation'
  | 'token'
  | 'authorize'
  | 'userinfo';

/** How stream events are put on the wire: SSE (`\n\n` or Google's `\r\n\r\n`), or a JSON array written piece by piece. */
export type Framing = 'sse' | 'sse-crlf' | 'json-array';

/** Which endpoint a request hit. */
export interface Route {
  protocol: UpstreamProtocol;
  operation: Operation;
  /** Model named in the path (Gemini), else null. */
  pathModel: string | null;
  /** Whether the answer is a stream (body `stream: true`, or `:streamGenerateContent`). */
  stream: boolean;
  framing: Framing;
}

/** One event of a stream. */
export interface StreamEvent {
  /** SSE `event:` name, when the protocol names events (Anthropic). */
  name?: string;
  /** Payload: an object is JSON-encoded, a string (`[DONE]`) is written as is. */
  data: unknown;
  /** Whether the event carries model output (a text or tool-call delta). */
  content: boolean;
}

export interface JsonReply {
  kind: 'json';
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

export interface StreamReply {
  kind: 'stream';
  status: number;
  headers: Record<string, string>;
  framing: Framing;
  events: StreamEvent[];
  /** Written only when the stream completes normally (OpenAI `data: [DONE]`). */
  terminator?: StreamEvent;
}

export type Reply = JsonReply | StreamReply;

/** A tool call of an answer, with its id and JSON-encoded arguments. */
export interface AnswerToolCall {
  id: string;
  name: string;
  arguments: string;
}

/** The content of one generated answer, protocol-neutral. */
export interface Answer {
  model: string;
  /** Reasoning before the text; empty when none. */
  thinking: string;
  text: string;
  /** `text` split into the stream's text deltas. */
  textChunks: string[];
  toolCalls: AnswerToolCall[];
  usage: Usage;
}

/** Everything a wire needs to answer one request. */
export interface WireContext {
  route: Route;
  behaviour: OkBehaviour;
  body: unknown;
  /** The path of the request, without the query string. */
  path: string;
  /** The query string of the request. */
  query: URLSearchParams;
  prompt: PromptSummary;
  /** The generated answer. Computing it warms the prompt cache: call it for generation only. */
  answer(): Answer;
  /** The credential of the request. */
  key: string | null;
  /** How many requests with this key came before, plus one. */
  callNumber: number;
  /** Per-server counter for response ids. */
  sequence: number;
  now: number;
}

/** The in-stream error of a protocol, and what a non-stream request gets instead. */
export interface StreamErrorReply {
  event: StreamEvent;
  status: number;
  body: unknown;
}

/** One upstream family's wire format. */
export interface Wire {
  ok(context: WireContext): Reply;
  /** With `verifySignatures`: the 400 for replayed reasoning this family did not issue, or null. */
  rejectReasoning?(context: WireContext): JsonReply | null;
  error(error: UpstreamError, context: WireContext): JsonReply;
  streamError(message: string | undefined, context: WireContext): StreamErrorReply;
}

/** Splits `text` into `count` pieces of nearly equal length (fewer when the text is shorter). */
export function splitText(text: string, count: number): string[] {
  const pieces = Math.max(1, Math.min(count, text.length));
  const chunks: string[] = [];
  for (let index = 0; index < pieces && text.length > 0; index++) {
    chunks.push(
      text.slice(
        Math.floor((index * text.length) / pieces),
        Math.floor(((index + 1) * text.length) / pieces),
      ),
    );
  }
  return chunks;
}

/** Splits tool-call arguments in two deltas, so clients must concatenate them. */
export function splitArguments(json: string): string[] {
  const middle = Math.ceil(json.length / 2);
  return json.length < 2 ? [json] : [json.slice(0, middle), json.slice(middle)];
}

/** A JSON answer with status 200. */
export function jsonReply(body: unknown, headers: Record<string, string> = {}): JsonReply {
  return { kind: 'json', status: 200, headers, body };
}

/** Tool-call arguments as an object for the wires that send objects (a non-JSON string becomes `{}`). */
export function argumentsObject(json: string): unknown {
  try {
    return JSON.parse(json);
  } catch {
    return {};
  }
}
