/**
 * Checks that an SSE body is a well-formed Anthropic Messages stream, the way the Anthropic SDK
 * and Claude Code read it, and returns what it carried. Every event is validated against a zod
 * schema of its type, the SSE event name must equal the payload's `type`, and the order must be
 * `message_start`, then content blocks one at a time (`content_block_start` with the next index, deltas
 * of that block's kind, `content_block_stop`), then `message_delta` and `message_stop`; `ping` may come
 * anywhere after `message_start`. Throws on the first violation, naming it.
 */
import { z } from 'zod';
import { parseSse } from '../support/parse-sse.js';

const usageSchema = z.looseObject({
  input_tokens: z.number().int().nonnegative(),
  output_tokens: z.number().int().nonnegative(),
  cache_read_input_tokens: z.number().int().nonnegative().nullish(),
  cache_creation_input_tokens: z.number().int().nonnegative().nullish(),
});

const messageStart = z.strictObject({
  type: z.literal('message_start'),
  message: z.looseObject({
    id: z.string().min(1),
    type: z.literal('message'),
    role: z.literal('assistant'),
    model: z.string(),
    content: z.array(z.unknown()).length(0),
    stop_reason: z.null(),
    usage: usageSchema,
  }),
});

const blockSchema = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('text'), text: z.literal('') }),
  z.looseObject({ type: z.literal('thinking'), thinking: z.string() }),
  z.looseObject({ type: z.literal('redacted_thinking'), data: z.string().min(1) }),
  z.looseObject({
    type: z.literal('tool_use'),
    id: z.string().min(1),
    name: z.string().min(1),
    input: z.record(z.string(), z.unknown()),
  }),
]);

const deltaSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('text_delta'), text: z.string() }),
  z.strictObject({ type: z.literal('thinking_delta'), thinking: z.string() }),
  z.strictObject({ type: z.literal('signature_delta'), signature: z.string().min(1) }),
  z.strictObject({ type: z.literal('input_json_delta'), partial_json: z.string() }),
]);

const eventSchema = z.discriminatedUnion('type', [
  messageStart,
  z.strictObject({ type: z.literal('ping') }),
  z.strictObject({
    type: z.literal('content_block_start'),
    index: z.number().int().nonnegative(),
    content_block: blockSchema,
  }),
  z.strictObject({
    type: z.literal('content_block_delta'),
    index: z.number().int().nonnegative(),
    delta: deltaSchema,
  }),
  z.strictObject({ type: z.literal('content_block_stop'), index: z.number().int().nonnegative() }),
  z.strictObject({
    type: z.literal('message_delta'),
    delta: z.looseObject({
      stop_reason: z.enum(['end_turn', 'max_tokens', 'stop_sequence', 'tool_use', 'pause_turn', 'refusal']),
      stop_sequence: z.string().nullable(),
    }),
    usage: z.looseObject({
      output_tokens: z.number().int().nonnegative(),
      input_tokens: z.number().int().nonnegative().nullish(),
      cache_read_input_tokens: z.number().int().nonnegative().nullish(),
    }),
  }),
  z.strictObject({ type: z.literal('message_stop') }),
]);

type AnthropicEvent = z.infer<typeof eventSchema>;

/** Which delta types each block kind may receive. */
const DELTAS_OF: Record<string, readonly string[]> = {
  text: ['text_delta'],
  thinking: ['thinking_delta', 'signature_delta'],
  redacted_thinking: [],
  tool_use: ['input_json_delta'],
};

export interface AnthropicStreamSummary {
  messageId: string;
  /** The text of all text blocks, in order. */
  text: string;
  thinking: Array<{ thinking: string; signature: string }>;
  toolUses: Array<{ id: string; name: string; input: unknown }>;
  stopReason: string;
  usage: { input_tokens: number; output_tokens: number; cache_read_input_tokens: number };
  eventTypes: string[];
}

interface OpenBlock {
  index: number;
  type: string;
  text: string;
  signature: string;
  id: string;
  name: string;
}

/** Validates `body` as a complete, successful Anthropic stream; see the module comment. */
export function checkAnthropicStream(body: string): AnthropicStreamSummary {
  const events = parseSse(body).map((event, position) => {
    const parsed = eventSchema.safeParse(JSON.parse(event.data));
    if (!parsed.success) throw new Error(`event ${position} (${event.event}): ${parsed.error.message}`);
    if (event.event !== parsed.data.type) {
      throw new Error(`event ${position}: SSE name ${event.event} but payload type ${parsed.data.type}`);
    }
    return parsed.data;
  });
  const content = events.filter((event) => event.type !== 'ping');
  const [first] = content;
  if (first?.type !== 'message_start') throw new Error('the stream does not begin with message_start');
  if (content.at(-1)?.type !== 'message_stop') throw new Error('the stream does not end with message_stop');
  const delta = content.at(-2);
  if (delta?.type !== 'message_delta') throw new Error('message_stop does not follow a message_delta');
  const summary: AnthropicStreamSummary = {
    messageId: first.message.id,
    text: '',
    thinking: [],
    toolUses: [],
    stopReason: delta.delta.stop_reason,
    // Like the SDK: counts in message_delta (sent when known only at the end) win over message_start.
    usage: {
      input_tokens: delta.usage.input_tokens ?? first.message.usage.input_tokens,
      output_tokens: delta.usage.output_tokens,
      cache_read_input_tokens:
        delta.usage.cache_read_input_tokens ?? first.message.usage.cache_read_input_tokens ?? 0,
    },
    eventTypes: events.map((event) => event.type),
  };
  readBlocks(content.slice(1, -2), summary);
  return summary;
}

function readBlocks(events: AnthropicEvent[], summary: AnthropicStreamSummary): void {
  let open: OpenBlock | null = null;
  let nextIndex = 0;
  for (const event of events) {
    if (event.type === 'content_block_start') {
      if (open) throw new Error(`block ${event.index} starts while block ${open.index} is open`);
      if (event.index !== nextIndex) throw new Error(`block index ${event.index}, expected ${nextIndex}`);
      const block = event.content_block;
      open = { index: event.index, type: block.type, text: '', signature: '', id: '', name: '' };
      if (block.type === 'tool_use') Object.assign(open, { id: block.id, name: block.name });
      if (block.type === 'thinking') open.text = block.thinking;
      nextIndex++;
    } else if (event.type === 'content_block_delta') {
      if (!open || open.index !== event.index) throw new Error(`delta for block ${event.index}, not open`);
      if (!DELTAS_OF[open.type]?.includes(event.delta.type)) {
        throw new Error(`${event.delta.type} inside a ${open.type} block`);
      }
      applyDelta(open, event.delta);
    } else if (event.type === 'content_block_stop') {
      if (!open || open.index !== event.index) throw new Error(`stop for block ${event.index}, not open`);
      closeBlock(open, summary);
      open = null;
    } else {
      throw new Error(`${event.type} in the middle of the stream`);
    }
  }
  if (open) throw new Error(`block ${open.index} never stopped`);
}

function applyDelta(block: OpenBlock, delta: z.infer<typeof deltaSchema>): void {
  if (delta.type === 'text_delta') block.text += delta.text;
  else if (delta.type === 'thinking_delta') block.text += delta.thinking;
  else if (delta.type === 'signature_delta') block.signature += delta.signature;
  else block.text += delta.partial_json;
}

function closeBlock(block: OpenBlock, summary: AnthropicStreamSummary): void {
  if (block.type === 'text') summary.text += block.text;
  else if (block.type === 'thinking') {
    summary.thinking.push({ thinking: block.text, signature: block.signature });
  } else if (block.type === 'tool_use') {
    const input: unknown = block.text === '' ? {} : JSON.parse(block.text);
    summary.toolUses.push({ id: block.id, name: block.name, input });
  }
}
