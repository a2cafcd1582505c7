import { z } from 'zod';
import type { JsonValue } from '../../core/json.js';
import type { CanonicalResponse } from '../../core/model/canonical-response.js';
import type { AssistantContentPart } from '../../core/model/content-part.js';
import { safeParseJson } from '../../core/model/safe-parse-json.js';
import { validateUpstream } from '../../core/model/validate-upstream.js';
import {
  openAIChatUsageSchema,
  parseOpenAIChatUsage,
  parseOpenAIFinishReason,
} from './parse-openai-chat-usage.js';

const toolCallSchema = z.object({
  id: z.string().nullish(),
  function: z.object({ name: z.string().nullish(), arguments: z.string().nullish() }).nullish(),
});

/**
 * A non-streamed Chat Completions response, tolerant of OpenAI-compatible variations. Unknown
 * fields are dropped while parsing (`z.object`), not copied: the canonical response reads none.
 */
const openAIChatResponseSchema = z.object({
  id: z.string().nullish(),
  model: z.string().nullish(),
  created: z.number().nullish(),
  choices: z.array(
    z.object({
      message: z.object({
        content: z.string().nullish(),
        reasoning_content: z.string().nullish(),
        /** OpenRouter and some others name the reasoning text `reasoning`. */
        reasoning: z.string().nullish(),
        refusal: z.string().nullish(),
        tool_calls: z.array(toolCallSchema).nullish(),
      }),
      finish_reason: z.string().nullish(),
    }),
  ),
  usage: openAIChatUsageSchema.nullish(),
});

/**
 * The JSON body of a Chat Completions response → canonical response. Only the first choice is
 * read (the gateway never asks for more). Reasoning text comes first, then text, a refusal as text,
 * then tool calls; arguments that are not valid JSON become `{}`. Throws `upstream_error` when the
 * body is not a chat completion.
 */
export function parseOpenAIChatResponse(json: unknown): CanonicalResponse {
  const response = validateUpstream(openAIChatResponseSchema, json, 'chat completion');
  const choice = response.choices[0];
  const message = choice?.message;
  const content: AssistantContentPart[] = [];
  const reasoning = message?.reasoning_content ?? message?.reasoning;
  if (reasoning) content.push({ type: 'reasoning', text: reasoning });
  if (message?.content) content.push({ type: 'text', text: message.content });
  if (message?.refusal) content.push({ type: 'text', text: message.refusal });
  (message?.tool_calls ?? []).forEach((call, index) => {
    const input: JsonValue = safeParseJson(call.function?.arguments || '{}') ?? {};
    content.push({
      type: 'tool-call',
      id: call.id ?? `call_${index}`,
      name: call.function?.name ?? '',
      input,
    });
  });
  const result: CanonicalResponse = {
    id: response.id ?? '',
    model: response.model ?? '',
    content,
    finishReason: message?.refusal ? 'content-filter' : parseOpenAIFinishReason(choice?.finish_reason),
    usage: parseOpenAIChatUsage(response.usage),
  };
  if (typeof response.created === 'number') result.createdAt = response.created * 1000;
  return result;
}
