/**
 * Checks that an SSE body is a well-formed OpenAI Responses stream, the way Codex and the OpenAI SDK
 * read it, and returns what it carried. Every event is validated against a zod schema of its type;
 * the SSE event name must equal the payload's `type`; `sequence_number` starts at 0 and grows by one;
 * the stream opens with `response.created` and `response.in_progress` and ends with exactly one
 * terminal event (`response.completed`, `.incomplete` or `.failed`). Output items are announced with
 * `output_item.added` at the next `output_index`, their part, delta and `done` events name the open
 * item, deltas add up to the `done` texts, and the terminal response lists every finished item (only
 * after `response.failed` may the last item stay unfinished).
 * Throws on the first violation, naming it.
 */
import { z } from 'zod';
import { parseSse } from '../support/parse-sse.js';

const functionCallItem = z.looseObject({
  id: z.string().min(1),
  type: z.literal('function_call'),
  call_id: z.string().min(1),
  name: z.string().min(1),
  namespace: z.string().optional(),
  arguments: z.string(),
});
const messageItem = z.looseObject({
  id: z.string().min(1),
  type: z.literal('message'),
  role: z.literal('assistant'),
  content: z.array(z.looseObject({ type: z.literal('output_text'), text: z.string() })),
});
const reasoningItem = z.looseObject({
  id: z.string().min(1),
  type: z.literal('reasoning'),
  summary: z.array(z.looseObject({ type: z.literal('summary_text'), text: z.string() })),
  encrypted_content: z.string().optional(),
});
const itemSchema = z.discriminatedUnion('type', [functionCallItem, messageItem, reasoningItem]);
type OutputItem = z.infer<typeof itemSchema>;

const usageSchema = z.looseObject({
  input_tokens: z.number().int().nonnegative(),
  input_tokens_details: z.looseObject({ cached_tokens: z.number().int().nonnegative() }),
  output_tokens: z.number().int().nonnegative(),
  output_tokens_details: z.looseObject({ reasoning_tokens: z.number().int().nonnegative() }),
  total_tokens: z.number().int().nonnegative(),
});
const responseSchema = z.looseObject({
  id: z.string().startsWith('resp_'),
  object: z.literal('response'),
  status: z.enum(['in_progress', 'completed', 'incomplete', 'failed']),
  model: z.string(),
  output: z.array(itemSchema),
  usage: usageSchema.nullable(),
});

const base = { sequence_number: z.number().int().nonnegative() };
const at = { ...base, item_id: z.string().min(1), output_index: z.number().int().nonnegative() };
const eventSchema = z.discriminatedUnion('type', [
  z.looseObject({
    type: z.enum([
      'response.created',
      'response.in_progress',
      'response.completed',
      'response.incomplete',
      'response.failed',
    ]),
    ...base,
    response: responseSchema,
  }),
  z.looseObject({
    type: z.enum(['response.output_item.added', 'response.output_item.done']),
    ...base,
    output_index: z.number().int().nonnegative(),
    item: itemSchema,
  }),
  z.looseObject({
    type: z.enum(['response.content_part.added', 'response.content_part.done']),
    ...at,
    content_index: z.number().int().nonnegative(),
    part: z.looseObject({ type: z.literal('output_text'), text: z.string() }),
  }),
  z.looseObject({ type: z.literal('response.output_text.delta'), ...at, delta: z.string() }),
  z.looseObject({ type: z.literal('response.output_text.done'), ...at, text: z.string() }),
  z.looseObject({ type: z.literal('response.function_call_arguments.delta'), ...at, delta: z.string() }),
  z.looseObject({
    type: z.literal('response.function_call_arguments.done'),
    ...at,
    arguments: z.string(),
  }),
  z.looseObject({
    type: z.enum(['response.reasoning_summary_part.added', 'response.reasoning_summary_part.done']),
    ...at,
    summary_index: z.number().int().nonnegative(),
  }),
  z.looseObject({
    type: z.literal('response.reasoning_summary_text.delta'),
    ...at,
    summary_index: z.number().int().nonnegative(),
    delta: z.string(),
  }),
  z.looseObject({
    type: z.literal('response.reasoning_summary_text.done'),
    ...at,
    summary_index: z.number().int().nonnegative(),
    text: z.string(),
  }),
]);
type ResponsesEvent = z.infer<typeof eventSchema>;

const TERMINAL = new Set(['response.completed', 'response.incomplete', 'response.failed']);

export interface ResponsesStreamSummary {
  /** The terminal response object. */
  response: z.infer<typeof responseSchema>;
  /** The finished items in output order (from their `output_item.done` events). */
  items: OutputItem[];
  /** The text of all message items. */
  text: string;
  eventTypes: string[];
}

/** Validates `body` as a complete Responses stream; see the module comment. */
export function checkResponsesStream(body: string): ResponsesStreamSummary {
  const events = parseSse(body).map((event, position): ResponsesEvent => {
    const parsed = eventSchema.safeParse(JSON.parse(event.data));
    if (!parsed.success) throw new Error(`event ${position} (${event.event}): ${parsed.error.message}`);
    if (event.event !== parsed.data.type) {
      throw new Error(`event ${position}: SSE name ${event.event} but payload type ${parsed.data.type}`);
    }
    if (parsed.data.sequence_number !== position) {
      throw new Error(`event ${position} has sequence_number ${parsed.data.sequence_number}`);
    }
    return parsed.data;
  });
  const types = events.map((event) => event.type);
  if (types[0] !== 'response.created' || types[1] !== 'response.in_progress') {
    throw new Error(`the stream begins with ${types.slice(0, 2).join(', ')}`);
  }
  const last = events.at(-1);
  if (!last || !TERMINAL.has(last.type) || types.filter((type) => TERMINAL.has(type)).length !== 1) {
    throw new Error('the stream does not end with exactly one terminal response event');
  }
  // A failed response may leave its last item unfinished (a half-streamed call must not look complete).
  const items = readItems(events.slice(2, -1), { allowUnfinished: last.type === 'response.failed' });
  const response = (last as { response: z.infer<typeof responseSchema> }).response;
  if (
    JSON.stringify(response.output.map((item) => item.id)) !== JSON.stringify(items.map((item) => item.id))
  ) {
    throw new Error('the terminal response does not list the streamed items');
  }
  const text = items.flatMap((item) =>
    item.type === 'message' ? item.content.map((part) => part.text) : [],
  );
  return { response, items, text: text.join(''), eventTypes: types };
}

interface OpenItem {
  id: string;
  index: number;
  type: OutputItem['type'];
  /** Text, arguments or summary accumulated from the deltas. */
  accumulated: string;
}

function readItems(events: ResponsesEvent[], options: { allowUnfinished: boolean }): OutputItem[] {
  const items: OutputItem[] = [];
  let open: OpenItem | null = null;
  for (const event of events) {
    if (event.type === 'response.output_item.added') {
      if (open) throw new Error(`item ${event.item.id} added while ${open.id} is open`);
      if (event.output_index !== items.length) throw new Error(`output_index ${event.output_index}`);
      open = { id: event.item.id, index: event.output_index, type: event.item.type, accumulated: '' };
      continue;
    }
    if (!open) throw new Error(`${event.type} outside of an item`);
    if (event.type === 'response.output_item.done') {
      if (event.item.id !== open.id || event.output_index !== open.index)
        throw new Error('done for another item');
      checkFinalText(event.item, open);
      items.push(event.item);
      open = null;
      continue;
    }
    if (!('item_id' in event) || event.item_id !== open.id || event.output_index !== open.index) {
      throw new Error(`${event.type} names another item than the open ${open.id}`);
    }
    checkItemEvent(event, open);
  }
  if (open && !options.allowUnfinished) throw new Error(`item ${open.id} never finished`);
  return items;
}

function checkItemEvent(event: ResponsesEvent, open: OpenItem): void {
  const expectedKind: Record<string, OutputItem['type']> = {
    'response.content_part.added': 'message',
    'response.content_part.done': 'message',
    'response.output_text.delta': 'message',
    'response.output_text.done': 'message',
    'response.function_call_arguments.delta': 'function_call',
    'response.function_call_arguments.done': 'function_call',
  };
  const kind = expectedKind[event.type] ?? 'reasoning';
  if (kind !== open.type) throw new Error(`${event.type} inside a ${open.type} item`);
  if ('delta' in event && typeof event.delta === 'string') open.accumulated += event.delta;
  const done = event.type.endsWith('.done') && !event.type.includes('part') ? event : null;
  const doneText = done && ('text' in done ? done.text : 'arguments' in done ? done.arguments : null);
  if (typeof doneText === 'string' && doneText !== open.accumulated) {
    throw new Error(`${event.type} text differs from its deltas`);
  }
}

function checkFinalText(item: OutputItem, open: OpenItem): void {
  const final =
    item.type === 'message'
      ? item.content.map((part) => part.text).join('')
      : item.type === 'function_call'
        ? item.arguments
        : item.summary.map((part) => part.text).join('');
  if (final !== open.accumulated) throw new Error(`item ${item.id} differs from its deltas`);
}
