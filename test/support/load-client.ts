/**
 * Clients for load and fault tests: one call of a client protocol (streaming or not) that may give
 * up at a planned moment, is bounded by a deadline, and comes back judged — a success of the
 * protocol (a JSON answer, or a stream that ends with its terminal event or an error event) or a
 * well-formed protocol error; a call that outlives its deadline is a hang.
 */
import { request } from 'undici';
import { systemClock } from '../../src/core/clock.js';
import {
  type ErrorDialect,
  errorShapeProblem,
  type StreamFormat,
  streamEndProblem,
} from './protocol-answers.js';

export type LoadProtocol = 'openai' | 'anthropic' | 'gemini';

/** One planned call. */
export interface LoadCall {
  protocol: LoadProtocol;
  stream: boolean;
  /** The user message (unique per call, so the upstream can tell calls apart). */
  text: string;
  /** The client gives up this long after sending; null waits for the whole answer. */
  abortAfterMs: number | null;
}

/** How a call ended. */
export interface LoadOutcome {
  call: LoadCall;
  /** `answered`: the whole answer was read; `aborted`: the client gave up as planned; `hung`: the deadline passed; `failed`: the connection failed. */
  ending: 'answered' | 'aborted' | 'hung' | 'failed';
  status: number | null;
  /** What was wrong with an answered call (empty when it was a well-formed success or error). */
  problems: string[];
  durationMs: number;
}

const DIALECTS: Record<LoadProtocol, ErrorDialect> = {
  openai: 'openai',
  anthropic: 'anthropic',
  gemini: 'gemini',
};
const FORMATS: Record<LoadProtocol, StreamFormat> = {
  openai: 'openai-chat',
  anthropic: 'anthropic',
  gemini: 'gemini',
};

/** Path and body of a call. */
export function loadRequest(call: LoadCall): { path: string; body: unknown } {
  const { stream, text } = call;
  switch (call.protocol) {
    case 'openai':
      return {
        path: '/v1/chat/completions',
        body: { model: 'gpt-4o', stream, messages: [{ role: 'user', content: text }] },
      };
    case 'anthropic':
      return {
        path: '/v1/messages',
        body: {
          model: 'claude-sonnet-4-5',
          max_tokens: 64,
          stream,
          messages: [{ role: 'user', content: text }],
        },
      };
    case 'gemini':
      return {
        path: `/v1beta/models/gemini-2.5-pro:${stream ? 'streamGenerateContent?alt=sse' : 'generateContent'}`,
        body: { contents: [{ role: 'user', parts: [{ text }] }] },
      };
  }
}

/** Problems with a completely read answer. */
export function judgeAnswer(options: {
  call: LoadCall;
  status: number;
  contentType: string;
  text: string;
}): string[] {
  const { call, status, contentType, text } = options;
  if (status >= 400) {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return [`${status} that is not JSON: ${text.slice(0, 200)}`];
    }
    const shape = errorShapeProblem(DIALECTS[call.protocol], body);
    return shape ? [`${status}: ${shape}: ${text.slice(0, 200)}`] : [];
  }
  if (call.stream && contentType.includes('text/event-stream')) {
    const end = streamEndProblem(FORMATS[call.protocol], text);
    return end ? [end] : [];
  }
  try {
    JSON.parse(text);
    return [];
  } catch {
    return [`a ${status} answer that is not complete JSON: …${text.slice(-200)}`];
  }
}

/** Sends one call to the gateway at `url` and reads it to the end, the planned abort, or the deadline. */
export async function runLoadCall(options: {
  url: string;
  headers: Record<string, string>;
  call: LoadCall;
  deadlineMs: number;
}): Promise<LoadOutcome> {
  const { call } = options;
  const started = systemClock.now();
  const controller = new AbortController();
  let reason: 'aborted' | 'hung' | null = null;
  const stop = (why: 'aborted' | 'hung') => () => {
    reason ??= why;
    controller.abort(new Error(why));
  };
  const cancelAbort =
    call.abortAfterMs === null ? () => {} : systemClock.after(call.abortAfterMs, stop('aborted'));
  const cancelDeadline = systemClock.after(options.deadlineMs, stop('hung'));
  const { path, body } = loadRequest(call);
  let status: number | null = null;
  try {
    const response = await request(`${options.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...options.headers },
      body: JSON.stringify(body),
      signal: controller.signal,
    });
    status = response.statusCode;
    const text = await response.body.text();
    const contentType = String(response.headers['content-type'] ?? '');
    return {
      call,
      ending: 'answered',
      status,
      problems: judgeAnswer({ call, status, contentType, text }),
      durationMs: systemClock.now() - started,
    };
  } catch (error) {
    const ending = reason ?? 'failed';
    const problems = ending === 'failed' ? [`connection failed: ${(error as Error).message}`] : [];
    return { call, ending, status, problems, durationMs: systemClock.now() - started };
  } finally {
    cancelAbort();
    cancelDeadline();
  }
}

/** Runs `calls` with at most `concurrency` in flight; outcomes in the order of `calls`. */
export async function runLoad(options: {
  url: string;
  headers: Record<string, string>;
  calls: LoadCall[];
  concurrency: number;
  deadlineMs: number;
}): Promise<LoadOutcome[]> {
  const outcomes: LoadOutcome[] = new Array(options.calls.length);
  let next = 0;
  const worker = async () => {
    for (let index = next++; index < options.calls.length; index = next++) {
      const call = options.calls[index]!;
      outcomes[index] = await runLoadCall({ ...options, call });
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  return outcomes;
}
