import type { CanonicalResponse } from '../../core/model/canonical-response.js';
import {
  encodeOpenAIChatUsage,
  encodeOpenAIFinishReason,
  type OpenAIChatUsage,
  type OpenAIFinishReason,
} from './encode-openai-chat-usage.js';

export interface OpenAIChatToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

/** The body of a non-streamed Chat Completions response. */
export interface OpenAIChatCompletion {
  id: string;
  object: 'chat.completion';
  /** Epoch seconds. */
  created: number;
  model: string;
  choices: Array<{
    index: 0;
    message: {
      role: 'assistant';
      content: string | null;
      /** Reasoning text, the field DeepSeek-style OpenAI-compatible servers use; only when there is some. */
      reasoning_content?: string;
      tool_calls?: OpenAIChatToolCall[];
      refusal: null;
    };
    finish_reason: OpenAIFinishReason;
    logprobs: null;
  }>;
  usage: OpenAIChatUsage;
}

export interface EncodeOpenAIChatResponseOptions {
  /** Epoch ms used for `created` when the response does not say when it was created. */
  now?: number;
}

/**
 * Canonical response → the body an OpenAI client expects from `POST /v1/chat/completions`. Text
 * parts are concatenated; reasoning text goes to `reasoning_content` (signatures and redacted
 * reasoning have no Chat Completions form and are left out).
 */
export function encodeOpenAIChatResponse(
  response: CanonicalResponse,
  options: EncodeOpenAIChatResponseOptions = {},
): OpenAIChatCompletion {
  let text = '';
  let reasoning = '';
  const toolCalls: OpenAIChatToolCall[] = [];
  for (const part of response.content) {
    if (part.type === 'text') text += part.text;
    else if (part.type === 'reasoning') reasoning += part.text;
    else
      toolCalls.push({
        id: part.id,
        type: 'function',
        function: { name: part.name, arguments: JSON.stringify(part.input) },
      });
  }
  const message: OpenAIChatCompletion['choices'][number]['message'] = {
    role: 'assistant',
    content: text === '' && toolCalls.length > 0 ? null : text,
    refusal: null,
  };
  if (reasoning !== '') message.reasoning_content = reasoning;
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  return {
    id: response.id,
    object: 'chat.completion',
    created: Math.floor((response.createdAt ?? options.now ?? 0) / 1000),
    model: response.model,
    choices: [
      { index: 0, message, finish_reason: encodeOpenAIFinishReason(response.finishReason), logprobs: null },
    ],
    usage: encodeOpenAIChatUsage(response.usage),
  };
}
