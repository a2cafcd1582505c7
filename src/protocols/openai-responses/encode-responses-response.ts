import type { CanonicalResponse } from '../../core/model/canonical-response.js';
import {
  buildResponseObject,
  finishState,
  functionCallItem,
  itemId,
  messageItem,
  type ResponsesEncodeOptions,
  type ResponsesOutputItem,
  type ResponsesResponseObject,
  reasoningItem,
} from './encode-responses-output.js';

/**
 * Canonical response → the `response` object a Responses client expects from `POST /v1/responses`.
 * Each text part is one assistant message item, each tool call one `function_call` item (with the
 * namespace and name the client declared), each reasoning part one `reasoning` item (its text as the
 * summary; `encrypted_content` only when asked for). `length` and `content-filter` make the response
 * `incomplete` with `incomplete_details`.
 */
export function encodeResponsesResponse(
  response: CanonicalResponse,
  options: ResponsesEncodeOptions,
): ResponsesResponseObject {
  const output: ResponsesOutputItem[] = [];
  for (const part of response.content) {
    const index = output.length;
    if (part.type === 'text') output.push(messageItem(itemId('msg', options, index), part.text, 'completed'));
    else if (part.type === 'tool-call') {
      output.push(
        functionCallItem({
          id: itemId('fc', options, index),
          callId: part.id,
          upstreamName: part.name,
          argumentsText: JSON.stringify(part.input),
          status: 'completed',
          toolNames: options.toolNames,
        }),
      );
    } else {
      const item = reasoningItem(
        itemId('rs', options, index),
        part,
        options.includeEncryptedReasoning ?? false,
      );
      if (item) output.push(item);
    }
  }
  return buildResponseObject(options, {
    ...finishState(response.finishReason),
    model: response.model,
    output,
    usage: response.usage,
  });
}
