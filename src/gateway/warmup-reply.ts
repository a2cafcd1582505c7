import { toHeaderValue } from '../core/header-value.js';
import { type CanonicalResponse, emptyUsage, type StreamEvent } from '../core/model/index.js';
import { clientProtocol } from '../protocols/registry.js';
import type { ProxyRequest, ProxyResponse } from './proxy-request.js';

/** The text of the synthetic answer to a warmup probe. */
export const WARMUP_REPLY_TEXT = 'OK';

/**
 * The gateway's own minimal answer to a client's warmup probe, in the client's protocol (JSON or a
 * stream, as asked — SSE, or the JSON array of a Gemini stream asked without `alt=sse`), with no
 * upstream call: one text part `OK`, finish reason `stop`, zero usage.
 * `x-switchyard-local: warmup` marks it.
 */
export function warmupReply(options: { request: ProxyRequest; model: string; now: number }): ProxyResponse {
  const { request, model, now } = options;
  const decoded = clientProtocol(request.protocol).decode(request.body, { model, stream: request.stream });
  const context = { id: `warmup-${request.id}`, model, now };
  const headers = {
    'x-mapped-model': toHeaderValue(model),
    'x-switchyard-local': 'warmup',
  };
  const jsonArray = clientProtocol(request.protocol).streamsAsJsonArray?.(request.query) === true;
  if (!request.stream || jsonArray) {
    const response: CanonicalResponse = {
      id: context.id,
      model,
      createdAt: now,
      content: [{ type: 'text', text: WARMUP_REPLY_TEXT }],
      finishReason: 'stop',
      usage: emptyUsage(),
    };
    const answer = decoded.encodeResponse(response, context);
    // A JSON-array stream of one whole answer is what such a stream of a short reply looks like.
    const body = Buffer.from(JSON.stringify(request.stream ? [answer] : answer));
    return { status: 200, headers: { ...headers, 'content-type': 'application/json' }, body };
  }
  const encoder = decoded.createStreamEncoder(context);
  const events: StreamEvent[] = [
    { type: 'response-metadata', id: context.id, model },
    { type: 'text-start', id: '0' },
    { type: 'text-delta', id: '0', delta: WARMUP_REPLY_TEXT },
    { type: 'text-end', id: '0' },
    { type: 'finish', finishReason: 'stop', usage: emptyUsage() },
  ];
  const body = Buffer.from(events.map((event) => encoder.encode(event)).join(''));
  return {
    status: 200,
    headers: { ...headers, 'content-type': 'text/event-stream', 'cache-control': 'no-cache' },
    body,
  };
}
