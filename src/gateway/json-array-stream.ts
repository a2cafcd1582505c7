import { StringDecoder } from 'node:string_decoder';
import { createParser } from 'eventsource-parser';

/**
 * Re-frames an SSE stream of JSON events (`data: {...}\n\n`) as the streamed JSON array Gemini
 * writes for `streamGenerateContent` without `alt=sse`: `[`, the objects separated by `,`, then `]`,
 * each object sent as soon as its event is complete. An error event (the gateway's mid-stream error)
 * becomes one more element before the closing `]`, so the client always gets a parseable array.
 * Events whose data is not JSON (e.g. `[DONE]`) are dropped.
 */
export async function* toJsonArrayStream(sse: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  const decoder = new StringDecoder('utf8');
  const pending: string[] = [];
  const parser = createParser({ onEvent: (event) => pending.push(event.data) });
  let opened = false;
  const frame = (): Buffer | null => {
    let text = '';
    for (const data of pending.splice(0)) {
      if (!isJson(data)) continue;
      text += (opened ? ',\r\n' : '[') + data;
      opened = true;
    }
    return text ? Buffer.from(text) : null;
  };
  for await (const chunk of sse) {
    parser.feed(decoder.write(chunk));
    const framed = frame();
    if (framed) yield framed;
  }
  parser.feed(`${decoder.end()}\n\n`);
  const framed = frame();
  if (framed) yield framed;
  yield Buffer.from(opened ? ']' : '[]');
}

function isJson(data: string): boolean {
  try {
    JSON.parse(data);
    return true;
  } catch {
    return false;
  }
}
