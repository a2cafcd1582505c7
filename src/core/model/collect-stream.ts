import type { JsonValue } from '../json.js';
import { type CanonicalResponse, emptyUsage } from './canonical-response.js';
import type { AssistantContentPart, ReasoningPart, TextPart } from './content-part.js';
import { safeParseJson } from './safe-parse-json.js';
import type { StreamEvent } from './stream-event.js';

/**
 * Folds a canonical stream into the complete response it describes, for a client that asked for
 * JSON when the upstream streamed (and for tests). Parts appear in the order their blocks started;
 * tool calls come from `tool-call` events (the `tool-input-*` events only preview them). A stream
 * that reported an `error` ends with finish reason `error`; one without `finish` with `other`.
 */
export function collectStream(events: Iterable<StreamEvent>): CanonicalResponse {
  const response: CanonicalResponse = {
    id: '',
    model: '',
    content: [],
    finishReason: 'other',
    usage: emptyUsage(),
  };
  const open = new Map<string, TextPart | ReasoningPart>();
  const part = (id: string, create: () => TextPart | ReasoningPart) => {
    let found = open.get(id);
    if (!found) {
      found = create();
      open.set(id, found);
      response.content.push(found);
    }
    return found;
  };
  for (const event of events) {
    switch (event.type) {
      case 'response-metadata':
        if (event.id !== undefined) response.id = event.id;
        if (event.model !== undefined) response.model = event.model;
        if (event.createdAt !== undefined) response.createdAt = event.createdAt;
        break;
      case 'text-start':
      case 'text-delta':
        part(event.id, () => ({ type: 'text', text: '' })).text +=
          event.type === 'text-delta' ? event.delta : '';
        break;
      case 'reasoning-start':
      case 'reasoning-delta':
      case 'reasoning-end':
        addReasoning(part(event.id, () => ({ type: 'reasoning', text: '' })) as ReasoningPart, event);
        break;
      case 'tool-call':
        response.content.push(toolCallPart(event));
        break;
      case 'finish':
        response.finishReason = event.finishReason;
        response.usage = event.usage;
        if (event.stopSequence !== undefined) response.stopSequence = event.stopSequence;
        break;
      case 'error':
        response.finishReason = 'error';
        break;
    }
  }
  return response;
}

function addReasoning(
  reasoning: ReasoningPart,
  event: Extract<StreamEvent, { type: 'reasoning-start' | 'reasoning-delta' | 'reasoning-end' }>,
): void {
  if (event.type === 'reasoning-delta') reasoning.text += event.delta;
  else if (event.redactedData !== undefined) reasoning.redactedData = event.redactedData;
  if (event.type === 'reasoning-end' && event.signature !== undefined) reasoning.signature = event.signature;
}

function toolCallPart(event: Extract<StreamEvent, { type: 'tool-call' }>): AssistantContentPart {
  const input: JsonValue = safeParseJson(event.input === '' ? '{}' : event.input) ?? {};
  return { type: 'tool-call', id: event.id, name: event.name, input };
}
