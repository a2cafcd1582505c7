import type { CanonicalRequest } from '../../core/model/index.js';

/** Tokens added per message and per image: the chat template and a typical image cost. */
const PER_MESSAGE_TOKENS = 4;
const PER_IMAGE_TOKENS = 1_000;

/** Longest run of non-space characters given to the tokenizer at once (see `tokenizerPieces`). */
export const MAX_TOKENIZER_WORD = 64;
/** Longest piece of ordinary text given to the tokenizer at once; cut at a space. */
const MAX_TOKENIZER_PIECE = 2048;
/** Characters counted between two yields to pending I/O. */
const CHARACTERS_PER_SLICE = 64 * 1024;

export interface EstimateOptions {
  /** Lets pending I/O run between slices of a large request (`Clock.yieldToIo`); absent = no yield. */
  yieldToIo?: (() => Promise<void>) | undefined;
}

/**
 * An estimate of a request's input tokens for upstreams without a count endpoint: text, tool
 * calls, tool results and tool definitions counted with the o200k tokenizer (gpt-tokenizer), plus
 * a small per-message overhead and a flat cost per image. Other families tokenize differently, so
 * this is within roughly ±15 % for English text — good for budgeting, not billing. The tokenizer
 * runs on bounded pieces and yields to pending I/O every 64 K characters, so a large request never
 * holds the event loop for long.
 */
export async function estimateInputTokens(
  request: CanonicalRequest,
  options: EstimateOptions = {},
): Promise<number> {
  // Loaded on first use: its tables cost ~9 MB of heap that pass-through-only users never need.
  const { countTokens } = await import('gpt-tokenizer');
  let textTokens = 0;
  let sinceYield = 0;
  for (const text of requestTexts(request)) {
    for (const piece of tokenizerPieces(text)) {
      textTokens += countTokens(piece);
      sinceYield += piece.length;
      if (sinceYield < CHARACTERS_PER_SLICE || !options.yieldToIo) continue;
      sinceYield = 0;
      await options.yieldToIo();
    }
  }
  const images = request.messages.reduce(
    (sum, message) =>
      sum + message.content.filter((part) => part.type === 'image' || part.type === 'file').length,
    0,
  );
  return textTokens + request.messages.length * PER_MESSAGE_TOKENS + images * PER_IMAGE_TOKENS;
}

function* requestTexts(request: CanonicalRequest): Generator<string> {
  for (const part of request.system) yield part.text;
  for (const message of request.messages) {
    for (const part of message.content) {
      if (part.type === 'text' || part.type === 'reasoning') yield part.text;
      else if (part.type === 'tool-call') yield* [part.name, JSON.stringify(part.input)];
      else if (part.type === 'tool-result') yield JSON.stringify(part.content);
    }
  }
  for (const tool of request.tools ?? [])
    yield* [tool.name, tool.description ?? '', JSON.stringify(tool.inputSchema)];
}

/**
 * `text` in the pieces the tokenizer is given: at most `MAX_TOKENIZER_PIECE` characters, cut before
 * a space, and no run of non-space characters longer than `MAX_TOKENIZER_WORD` (it is cut there).
 * The tokenizer's time grows with the square of a word's length — one 160 000-character "word"
 * takes about a minute — while cutting changes the count by at most a token per cut.
 */
export function* tokenizerPieces(text: string): Generator<string> {
  let start = 0;
  let run = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    const space = code === 32 || code === 10 || code === 9 || code === 13;
    if (space && index - start >= MAX_TOKENIZER_PIECE) {
      yield text.slice(start, index);
      start = index;
    }
    run = space ? 0 : run + 1;
    // Never between the two halves of a surrogate pair (an emoji): cut one character later.
    const highSurrogate = code >= 0xd800 && code <= 0xdbff;
    if (run >= MAX_TOKENIZER_WORD && !highSurrogate) {
      yield text.slice(start, index + 1);
      start = index + 1;
      run = 0;
    }
  }
  if (start < text.length) yield text.slice(start);
}
