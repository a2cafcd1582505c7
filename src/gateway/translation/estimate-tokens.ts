import type { CanonicalRequest } from '../../core/model/index.js';
import type { ClientProtocol } from '../../providers/provider-adapter.js';

/** Tokens added per message and per image: the chat template and a typical image cost. */
const PER_MESSAGE_TOKENS = 4;
const PER_IMAGE_TOKENS = 1_000;

/**
 * The longest run of non-space characters handed to the tokenizer at once. Byte-pair encoding
 * works on one pre-token at a time and its cost grows with the square of that pre-token's length:
 * a 200 000-character word took over a minute (blocking every other request), while 256-character
 * slices of it count the same tokens in milliseconds.
 */
const MAX_RUN = 256;
const LONG_RUN = new RegExp(`\\S{${MAX_RUN + 1},}`, 'g');

/** Slices of `run` at most `MAX_RUN` long, never splitting a surrogate pair. */
function* slices(run: string): Generator<string> {
  for (let start = 0; start < run.length; ) {
    let end = Math.min(run.length, start + MAX_RUN);
    const last = run.charCodeAt(end - 1);
    if (end < run.length && last >= 0xd800 && last <= 0xdbff) end--;
    yield run.slice(start, end);
    start = end;
  }
}

/**
 * Counts the tokens of `text` with `count`, cutting runs of non-space characters longer than
 * `MAX_RUN` into slices first, so the work stays linear in the length of the text. Text without
 * such runs is counted in one call, exactly as before.
 */
export function countInBoundedPieces(text: string, count: (piece: string) => number): number {
  let total = 0;
  let last = 0;
  for (const match of text.matchAll(LONG_RUN)) {
    if (match.index > last) total += count(text.slice(last, match.index));
    for (const slice of slices(match[0])) total += count(slice);
    last = match.index + match[0].length;
  }
  return last < text.length ? total + count(text.slice(last)) : total;
}

/**
 * An estimate of a request's input tokens for upstreams without a count endpoint: text, tool
 * calls, tool results and tool definitions counted with the o200k tokenizer (gpt-tokenizer), plus
 * a small per-message overhead and a flat cost per image. Other families tokenize differently, so
 * this is within roughly ±15 % for English text — good for budgeting, not billing.
 */
export async function estimateInputTokens(request: CanonicalRequest): Promise<number> {
  // Loaded on first use: its tables cost ~9 MB of heap that pass-through-only users never need.
  const { countTokens } = await import('gpt-tokenizer');
  const texts: string[] = [];
  let images = 0;
  for (const part of request.system) texts.push(part.text);
  for (const message of request.messages) {
    for (const part of message.content) {
      if (part.type === 'text' || part.type === 'reasoning') texts.push(part.text);
      else if (part.type === 'tool-call') texts.push(part.name, JSON.stringify(part.input));
      else if (part.type === 'tool-result') texts.push(JSON.stringify(part.content));
      else if (part.type === 'image' || part.type === 'file') images++;
    }
  }
  for (const tool of request.tools ?? [])
    texts.push(tool.name, tool.description ?? '', JSON.stringify(tool.inputSchema));
  const textTokens = texts.reduce((sum, text) => sum + countInBoundedPieces(text, countTokens), 0);
  return textTokens + request.messages.length * PER_MESSAGE_TOKENS + images * PER_IMAGE_TOKENS;
}

/** The count-tokens answer body of each protocol that has one. */
export function countTokensBody(protocol: ClientProtocol, tokens: number): Record<string, number> {
  return protocol === 'gemini' ? { totalTokens: tokens } : { input_tokens: tokens };
}
