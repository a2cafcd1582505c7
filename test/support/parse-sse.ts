/** Parses a complete Server-Sent Events body with eventsource-parser, for assertions in tests. */
import { createParser, type EventSourceMessage } from 'eventsource-parser';

/** The events of an SSE body, in order (`event` is undefined for unnamed events). */
export function parseSse(text: string): EventSourceMessage[] {
  const events: EventSourceMessage[] = [];
  const parser = createParser({ onEvent: (event) => events.push(event) });
  parser.feed(text);
  return events;
}

/** The `data` of each event parsed as JSON, skipping non-JSON payloads such as `[DONE]`. */
export function parseSseJson(text: string): unknown[] {
  return parseSse(text).flatMap((event) => {
    try {
      return [JSON.parse(event.data) as unknown];
    } catch {
      return [];
    }
  });
}
