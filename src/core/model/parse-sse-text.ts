import { createParser } from 'eventsource-parser';

/** One parsed server-sent event. */
export interface ParsedSseEvent {
  event?: string | undefined;
  data: string;
}

/**
 * Parses a complete SSE text (a recorded fixture, an encoder's output) into its events. Streaming
 * callers keep their own eventsource-parser instance instead; this is for whole texts.
 */
export function parseSseText(text: string): ParsedSseEvent[] {
  const events: ParsedSseEvent[] = [];
  const parser = createParser({
    onEvent: (event) =>
      events.push(
        event.event === undefined ? { data: event.data } : { event: event.event, data: event.data },
      ),
  });
  parser.feed(text);
  parser.reset({ consume: true });
  return events;
}
