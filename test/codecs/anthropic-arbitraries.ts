import fc from 'fast-check';
import type { JsonObject } from '../../src/core/json.js';
import type {
  CanonicalMessage,
  CanonicalRequest,
  ReasoningConfig,
  ReasoningEffort,
} from '../../src/core/model/canonical-request.js';
import type { CanonicalResponse } from '../../src/core/model/canonical-response.js';
import type { AssistantContentPart, ToolResultPart } from '../../src/core/model/content-part.js';
import {
  cacheControl,
  distinctToolCallIds,
  identifier,
  imagePart,
  midSystem,
  pdfPart,
  response,
  text,
  textFilePart,
  textPart,
  toolCall,
  toolSchema,
  usage,
  withOptional,
} from './canonical-arbitraries.js';

/*
 * What survives a round trip through the Anthropic Messages wire format. Lost on the way and
 * therefore not generated: empty text (Anthropic rejects it), unsigned reasoning, two user-role
 * messages in a row (merged), a parallel-calls switch without a tool choice, sampling with thinking,
 * and, with thinking on, a last tool-calling assistant turn that does not start with thinking (the
 * converter turns thinking off for it, as Anthropic would reject it).
 */

/** Starts the last assistant turn with a signed thinking block when it calls tools. */
function withLeadingThinking(messages: CanonicalMessage[]): CanonicalMessage[] {
  const index = messages.findLastIndex((message) => message.role === 'assistant');
  const last = messages[index];
  if (last?.role !== 'assistant' || last.content[0]?.type === 'reasoning') return messages;
  if (!last.content.some((part) => part.type === 'tool-call')) return messages;
  const content: AssistantContentPart[] = [
    { type: 'reasoning', text: '', signature: 'lead' },
    ...last.content,
  ];
  return messages.map((message, position) => (position === index ? { role: 'assistant', content } : message));
}

const anthropicUser = fc
  .array(fc.oneof(textPart(true), imagePart, pdfPart, textFilePart), { minLength: 1, maxLength: 3 })
  .map((content): CanonicalMessage => ({ role: 'user', content }));
const anthropicToolResult = fc
  .tuple(identifier, fc.oneof(fc.string(), fc.array(fc.oneof(textPart(true), imagePart), { maxLength: 2 })))
  .map(
    ([id, content]): ToolResultPart =>
      ({ type: 'tool-result', toolCallId: `toolu_r${id}`, content }) as ToolResultPart,
  );
const anthropicTool = fc
  .array(
    withOptional(
      withOptional(anthropicToolResult, 'isError', fc.constant(true)),
      'cacheControl',
      cacheControl,
    ),
    {
      minLength: 1,
      maxLength: 2,
    },
  )
  .map((content): CanonicalMessage => ({ role: 'tool', content }));
const anthropicAssistant = fc
  .array(
    fc.oneof(
      textPart(true),
      fc
        .tuple(fc.string(), identifier)
        .map(([value, signature]): AssistantContentPart => ({ type: 'reasoning', text: value, signature })),
      identifier.map((data): AssistantContentPart => ({ type: 'reasoning', text: '', redactedData: data })),
      withOptional(toolCall('toolu_c'), 'cacheControl', cacheControl),
    ),
    { minLength: 1, maxLength: 3 },
  )
  .map((content): CanonicalMessage => ({ role: 'assistant', content }));
const anthropicHumanTurn = fc.oneof(
  anthropicUser.map((message) => [message]),
  anthropicTool.map((message) => [message]),
  fc.tuple(anthropicTool, anthropicUser),
);
const anthropicConversation = fc
  .array(fc.tuple(anthropicHumanTurn, fc.option(midSystem, { nil: undefined }), anthropicAssistant), {
    minLength: 1,
    maxLength: 3,
  })
  .map((turns) =>
    turns.flatMap(([human, system, assistant]) => [...human, ...(system ? [system] : []), assistant]),
  );

const anthropicReasoning = fc.oneof(
  fc.constant<ReasoningConfig | undefined>(undefined),
  fc.constant<ReasoningConfig>({ enabled: false }),
  fc.constant<ReasoningConfig>({ enabled: true }),
  fc
    .integer({ min: 1024, max: 20000 })
    .map((budgetTokens): ReasoningConfig => ({ enabled: true, budgetTokens })),
  fc
    .constantFrom<ReasoningEffort>('low', 'medium', 'high', 'xhigh', 'max')
    .map((effort): ReasoningConfig => ({ enabled: true, effort })),
);

/** A request the Anthropic converter and decoder carry over without loss (with `midConversationSystem: 'keep'`). */
export const anthropicRequest: fc.Arbitrary<CanonicalRequest> = fc
  .record({
    model: identifier,
    system: fc.array(textPart(true), { maxLength: 2 }),
    messages: anthropicConversation,
    tools: fc.array(
      withOptional(
        withOptional(fc.record({ name: identifier, inputSchema: toolSchema }), 'description', text),
        'cacheControl',
        cacheControl,
      ),
      { maxLength: 2 },
    ),
    toolChoice: fc.constantFrom('auto', 'none', 'required', 'tool'),
    parallel: fc.boolean(),
    reasoning: anthropicReasoning,
    extraTokens: fc.integer({ min: 1, max: 50000 }),
    temperature: fc.option(
      fc.integer({ min: 0, max: 100 }).map((n) => n / 100),
      { nil: undefined },
    ),
    topP: fc.option(
      fc.integer({ min: 1, max: 100 }).map((n) => n / 100),
      { nil: undefined },
    ),
    topK: fc.option(fc.integer({ min: 1, max: 100 }), { nil: undefined }),
    stopSequences: fc.option(fc.array(text, { minLength: 1, maxLength: 3 }), { nil: undefined }),
    jsonSchema: fc.option(toolSchema, { nil: undefined }),
    stream: fc.boolean(),
    userId: fc.option(text, { nil: undefined }),
    contextManagement: fc.option(
      fc.constant<JsonObject>({ edits: [{ type: 'clear_thinking_20251015', keep: 'all' }] }),
      {
        nil: undefined,
      },
    ),
  })
  .map((fields) => {
    const request: CanonicalRequest = {
      model: fields.model,
      system: fields.system,
      messages: fields.messages,
      tools: fields.tools,
      sampling: {},
      maxOutputTokens: (fields.reasoning?.budgetTokens ?? 0) + fields.extraTokens,
      stream: fields.stream,
      metadata: fields.userId === undefined ? {} : { userId: fields.userId },
      providerOptions: fields.contextManagement
        ? { anthropic: { contextManagement: fields.contextManagement } }
        : {},
    };
    const firstTool = fields.tools[0];
    if (firstTool) {
      request.toolChoice =
        fields.toolChoice === 'tool'
          ? { type: 'tool', toolName: firstTool.name }
          : { type: fields.toolChoice };
      if (fields.parallel && fields.toolChoice !== 'none') request.parallelToolCalls = false;
    }
    if (fields.reasoning) request.reasoning = fields.reasoning;
    const thinkingOn = fields.reasoning?.enabled === true;
    if (thinkingOn) request.messages = withLeadingThinking(request.messages);
    if (!thinkingOn) {
      if (fields.temperature !== undefined) request.sampling.temperature = fields.temperature;
      else if (fields.topP !== undefined) request.sampling.topP = fields.topP;
      if (fields.topK !== undefined) request.sampling.topK = fields.topK;
    }
    if (fields.stopSequences) request.stopSequences = fields.stopSequences;
    if (fields.jsonSchema) request.responseFormat = { type: 'json_schema', schema: fields.jsonSchema };
    return request;
  });

/** A response Anthropic carries over: no reasoning-token count (Anthropic does not report it). */
export const anthropicResponse: fc.Arbitrary<CanonicalResponse> = response({
  content: fc
    .array(
      fc.oneof(
        textPart(false),
        fc
          .tuple(fc.string(), identifier)
          .map(([value, signature]): AssistantContentPart => ({ type: 'reasoning', text: value, signature })),
        identifier.map((data): AssistantContentPart => ({ type: 'reasoning', text: '', redactedData: data })),
        toolCall('toolu_'),
      ),
      { maxLength: 4 },
    )
    .filter(distinctToolCallIds),
  usage: usage({ cacheWrite: true, reasoning: false }),
  stopSequence: true,
  createdAt: false,
});
