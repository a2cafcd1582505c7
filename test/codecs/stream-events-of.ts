import type { CanonicalResponse } from '../../src/core/model/canonical-response.js';
import type { StreamEvent } from '../../src/core/model/stream-event.js';

function chunks(text: string, size: number): string[] {
  const result: string[] = [];
  for (let start = 0; start < text.length; start += size) result.push(text.slice(start, start + size));
  return result;
}

/**
 * The well-formed canonical stream a provider decoder would emit for `response`, with every text,
 * reasoning and tool input split into deltas of `chunkSize` characters. The inverse of `collectStream`.
 */
export function streamEventsOf(response: CanonicalResponse, chunkSize: number): StreamEvent[] {
  const metadata: StreamEvent = { type: 'response-metadata', id: response.id, model: response.model };
  if (response.createdAt !== undefined) metadata.createdAt = response.createdAt;
  const events: StreamEvent[] = [metadata];
  response.content.forEach((part, index) => {
    const id = `block-${index}`;
    if (part.type === 'text') {
      events.push({ type: 'text-start', id });
      for (const delta of chunks(part.text, chunkSize)) events.push({ type: 'text-delta', id, delta });
      events.push({ type: 'text-end', id });
    } else if (part.type === 'reasoning') {
      events.push(
        part.redactedData === undefined
          ? { type: 'reasoning-start', id }
          : { type: 'reasoning-start', id, redactedData: part.redactedData },
      );
      for (const delta of chunks(part.text, chunkSize)) events.push({ type: 'reasoning-delta', id, delta });
      events.push(
        part.signature === undefined
          ? { type: 'reasoning-end', id }
          : { type: 'reasoning-end', id, signature: part.signature },
      );
    } else {
      const input = JSON.stringify(part.input);
      events.push({ type: 'tool-input-start', id: part.id, name: part.name });
      for (const delta of chunks(input, chunkSize))
        events.push({ type: 'tool-input-delta', id: part.id, delta });
      events.push(
        { type: 'tool-input-end', id: part.id },
        { type: 'tool-call', id: part.id, name: part.name, input },
      );
    }
  });
  const finish: StreamEvent = { type: 'finish', finishReason: response.finishReason, usage: response.usage };
  if (response.stopSequence !== undefined) finish.stopSequence = response.stopSequence;
  events.push(finish);
  return events;
}
