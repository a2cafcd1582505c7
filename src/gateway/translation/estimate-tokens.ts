import type { CanonicalRequest } from '../../core/model/index.js';
import type { ClientProtocol } from '../../providers/provider-adapter.js';

/** Tokens added per message and per image: the chat template and a typical image cost. */
const PER_MESSAGE_TOKENS = 4;
const PER_IMAGE_TOKENS = 1_000;

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
  const textTokens = texts.reduce((sum, text) => sum + (text ? countTokens(text) : 0), 0);
  return textTokens + request.messages.length * PER_MESSAGE_TOKENS + images * PER_IMAGE_TOKENS;
}

/** The count-tokens answer body of each protocol that has one. */
export function countTokensBody(protocol: ClientProtocol, tokens: number): Record<string, number> {
  return protocol === 'gemini' ? { totalTokens: tokens } : { input_tokens: tokens };
}
