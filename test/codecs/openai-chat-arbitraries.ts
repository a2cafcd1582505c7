import fc from 'fast-check';
import type {
  CanonicalMessage,
  CanonicalRequest,
  ReasoningEffort,
} from '../../src/core/model/canonical-request.js';
import type { CanonicalResponse } from '../../src/core/model/canonical-response.js';
import type { AssistantContentPart, ToolResultPart } from '../../src/core/model/content-part.js';
import {
  distinctToolCallIds,
  identifier,
  imagePart,
  midSystem,
  pdfPart,
  response,
  text,
  textPart,
  toolCall,
  toolSchema,
  usage,
  withOptional,
} from './canonical-arbitraries.js';

/*
 * What survives a round trip through OpenAI Chat Completions. Lost on the way and therefore not
 * generated: cache breakpoints, signatures and redacted reasoning, more than one text part per
 * assistant message (joined), tool-result images and error flags, top_k, stop sequences beyond 4,
 * cache-write counts, text files (sent as text), stop sequences in responses.
 */

/** An assistant turn as Chat Completions holds it: reasoning, then one text, then tool calls. */
const openAIAssistantContent = fc
  .record({
    reasoning: fc.option(text, { nil: undefined }),
    text: fc.option(text, { nil: undefined }),
    toolCalls: fc.array(toolCall('call_c'), { maxLength: 3 }).filter(distinctToolCallIds),
  })
  .filter((fields) => fields.text !== undefined || fields.toolCalls.length > 0)
  .map((fields): AssistantContentPart[] => [
    ...(fields.reasoning === undefined ? [] : [{ type: 'reasoning' as const, text: fields.reasoning }]),
    ...(fields.text === undefined ? [] : [{ type: 'text' as const, text: fields.text }]),
    ...fields.toolCalls,
  ]);

const openAIUser = fc
  .oneof(
    textPart(false).map((part) => [part]),
    fc.array(fc.oneof(textPart(false), imagePart, pdfPart), { minLength: 1, maxLength: 3 }),
  )
  .map((content): CanonicalMessage => ({ role: 'user', content }));
const openAITool = fc
  .array(
    fc
      .tuple(identifier, fc.string())
      .map(([id, content]): ToolResultPart => ({ type: 'tool-result', toolCallId: `call_r${id}`, content })),
    { minLength: 1, maxLength: 2 },
  )
  .map((content): CanonicalMessage => ({ role: 'tool', content }));
const openAIConversation = fc
  .tuple(
    openAIUser,
    fc.array(
      fc.oneof(
        openAIUser.map((message) => [message]),
        midSystem.map((message) => [message]),
        fc
          .tuple(openAIAssistantContent, fc.option(openAITool, { nil: undefined }))
          .map(([content, tool]): CanonicalMessage[] => [
            { role: 'assistant', content },
            ...(tool ? [tool] : []),
          ]),
      ),
      { maxLength: 4 },
    ),
  )
  .map(([first, rest]) => [first, ...rest.flat()]);

/** A request the OpenAI converter (with `reasoningContent: true`) and decoder carry over without loss. */
export const openAIRequest: fc.Arbitrary<CanonicalRequest> = fc
  .record({
    model: identifier,
    system: fc.option(text, { nil: undefined }),
    messages: openAIConversation,
    tools: fc.array(
      withOptional(fc.record({ name: identifier, inputSchema: toolSchema }), 'description', text),
      {
        maxLength: 2,
      },
    ),
    toolChoice: fc.constantFrom('auto', 'none', 'required', 'tool'),
    parallel: fc.option(fc.boolean(), { nil: undefined }),
    temperature: fc.option(
      fc.integer({ min: 0, max: 200 }).map((n) => n / 100),
      { nil: undefined },
    ),
    topP: fc.option(
      fc.integer({ min: 1, max: 100 }).map((n) => n / 100),
      { nil: undefined },
    ),
    maxOutputTokens: fc.option(fc.integer({ min: 1, max: 100000 }), { nil: undefined }),
    stopSequences: fc.option(fc.array(text, { minLength: 1, maxLength: 4 }), { nil: undefined }),
    responseFormat: fc.option(
      fc.oneof(
        fc.constant({ type: 'text' as const }),
        fc.constant({ type: 'json' as const }),
        withOptional(
          withOptional(
            fc.record({ type: fc.constant('json_schema' as const), schema: toolSchema, name: identifier }),
            'description',
            text,
          ),
          'strict',
          fc.boolean(),
        ),
      ),
      { nil: undefined },
    ),
    effort: fc.option(fc.constantFrom<ReasoningEffort>('none', 'minimal', 'low', 'medium', 'high', 'xhigh'), {
      nil: undefined,
    }),
    stream: fc.boolean(),
    userId: fc.option(identifier, { nil: undefined }),
    seed: fc.option(fc.integer(), { nil: undefined }),
  })
  .map((fields) => {
    const request: CanonicalRequest = {
      model: fields.model,
      system: fields.system === undefined ? [] : [{ type: 'text', text: fields.system }],
      messages: fields.messages,
      tools: fields.tools,
      sampling: {},
      stream: fields.stream,
      metadata: fields.userId === undefined ? {} : { userId: fields.userId },
      providerOptions: {},
    };
    const firstTool = fields.tools[0];
    if (firstTool) {
      request.toolChoice =
        fields.toolChoice === 'tool'
          ? { type: 'tool', toolName: firstTool.name }
          : { type: fields.toolChoice };
      if (fields.parallel !== undefined) request.parallelToolCalls = fields.parallel;
    }
    if (fields.temperature !== undefined) request.sampling.temperature = fields.temperature;
    if (fields.topP !== undefined) request.sampling.topP = fields.topP;
    if (fields.maxOutputTokens !== undefined) request.maxOutputTokens = fields.maxOutputTokens;
    if (fields.stopSequences) request.stopSequences = fields.stopSequences;
    if (fields.responseFormat) request.responseFormat = fields.responseFormat;
    if (fields.effort) request.reasoning = { enabled: fields.effort !== 'none', effort: fields.effort };
    const openai = {
      ...(fields.stream ? { includeUsage: true } : {}),
      ...(fields.seed === undefined ? {} : { extraBody: { seed: fields.seed } }),
    };
    if (Object.keys(openai).length > 0) request.providerOptions.openai = openai;
    return request;
  });

/** A response Chat Completions carries over: no signatures, no cache writes, no stop sequence. */
export const openAIResponse: fc.Arbitrary<CanonicalResponse> = response({
  content: fc.oneof(
    openAIAssistantContent,
    fc
      .option(text, { nil: undefined })
      .map((value): AssistantContentPart[] => (value ? [{ type: 'reasoning', text: value }] : [])),
  ),
  usage: usage({ cacheWrite: false, reasoning: true }),
  stopSequence: false,
  createdAt: true,
});
