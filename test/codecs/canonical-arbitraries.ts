/**
 * fast-check generators shared by the round-trip tests: primitives, content parts and responses.
 * The format-specific generators (`anthropic-arbitraries.ts`, `openai-chat-arbitraries.ts`) leave
 * out exactly what their wire format cannot express, so the round-trip properties demand equality.
 */
import fc from 'fast-check';
import type { JsonObject } from '../../src/core/json.js';
import type { CanonicalMessage } from '../../src/core/model/canonical-request.js';
import type { CanonicalResponse, FinishReason, Usage } from '../../src/core/model/canonical-response.js';
import type {
  AssistantContentPart,
  CacheControl,
  TextPart,
  UserContentPart,
} from '../../src/core/model/content-part.js';

export const text = fc.string({ minLength: 1, maxLength: 12 });
export const identifier = fc.stringMatching(/^[a-zA-Z0-9_]{1,10}$/);
export const base64 = fc.base64String({ minLength: 4, maxLength: 16 });
export const url = identifier.map((name) => `https://example.com/${name}.png`);
export const cacheControl = fc.constantFrom<CacheControl>(
  { type: 'ephemeral' },
  { type: 'ephemeral', ttl: '1h' },
);
export const jsonObject: fc.Arbitrary<JsonObject> = fc.dictionary(
  identifier,
  fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null)),
  { maxKeys: 3 },
);
export const toolSchema = fc
  .dictionary(identifier, fc.constant<JsonObject>({ type: 'string' }), { maxKeys: 3 })
  .map((properties): JsonObject => ({ type: 'object', properties }));

export function withOptional<T extends object>(
  base: fc.Arbitrary<T>,
  key: string,
  value: fc.Arbitrary<unknown>,
) {
  return fc
    .tuple(base, fc.option(value, { nil: undefined }))
    .map(([object, extra]) => (extra === undefined ? object : ({ ...object, [key]: extra } as T)));
}

/** Text, optionally with a cache breakpoint. */
export function textPart(cached: boolean): fc.Arbitrary<TextPart> {
  const plain = text.map((value): TextPart => ({ type: 'text', text: value }));
  return cached ? withOptional(plain, 'cacheControl', cacheControl) : plain;
}

export const imagePart = fc.oneof(
  base64.map(
    (data): UserContentPart => ({ type: 'image', source: { type: 'base64', mediaType: 'image/png', data } }),
  ),
  url.map((value): UserContentPart => ({ type: 'image', source: { type: 'url', url: value } })),
);
export const pdfPart = fc.tuple(base64, identifier).map(
  ([data, name]): UserContentPart => ({
    type: 'file',
    source: { type: 'base64', mediaType: 'application/pdf', data },
    filename: `${name}.pdf`,
  }),
);
export const textFilePart = text.map(
  (value): UserContentPart => ({
    type: 'file',
    source: { type: 'base64', mediaType: 'text/plain', data: Buffer.from(value, 'utf8').toString('base64') },
  }),
);
export const toolCall = (prefix: string) =>
  fc
    .tuple(identifier, identifier, jsonObject)
    .map(
      ([id, name, input]): AssistantContentPart => ({ type: 'tool-call', id: `${prefix}${id}`, name, input }),
    );

/**
 * Whether no two tool calls share an id: in a real response they never do, and a stream's events
 * name the call they continue by its id, so two calls with one id cannot round-trip through one.
 */
export function distinctToolCallIds(parts: readonly AssistantContentPart[]): boolean {
  const ids = parts.flatMap((part) => (part.type === 'tool-call' ? [part.id] : []));
  return new Set(ids).size === ids.length;
}

export const midSystem = text.map(
  (value): CanonicalMessage => ({ role: 'system', content: [{ type: 'text', text: value }] }),
);

export const finishReason = fc.constantFrom<FinishReason>('stop', 'length', 'tool-calls', 'content-filter');

export function usage(options: { cacheWrite: boolean; reasoning: boolean }): fc.Arbitrary<Usage> {
  const count = fc.integer({ min: 0, max: 100000 });
  return fc.tuple(count, count, count, count, count).map(([uncached, read, write, output, reasoning]) => ({
    inputTokens: uncached + read + (options.cacheWrite ? write : 0),
    outputTokens: output + (options.reasoning ? reasoning : 0),
    cacheReadTokens: read,
    cacheWriteTokens: options.cacheWrite ? write : 0,
    reasoningTokens: options.reasoning ? reasoning : 0,
  }));
}

export function response(options: {
  content: fc.Arbitrary<AssistantContentPart[]>;
  usage: fc.Arbitrary<Usage>;
  stopSequence: boolean;
  createdAt: boolean;
}): fc.Arbitrary<CanonicalResponse> {
  return fc
    .record({
      id: identifier,
      model: identifier,
      content: options.content,
      finishReason,
      stopSequence: fc.option(text, { nil: undefined }),
      usage: options.usage,
      createdSeconds: fc.integer({ min: 1_600_000_000, max: 2_000_000_000 }),
    })
    .map((fields): CanonicalResponse => {
      const result: CanonicalResponse = {
        id: fields.id,
        model: fields.model,
        content: fields.content,
        finishReason: fields.finishReason,
        usage: fields.usage,
      };
      if (options.createdAt) result.createdAt = fields.createdSeconds * 1000;
      if (options.stopSequence && fields.finishReason === 'stop' && fields.stopSequence !== undefined) {
        result.stopSequence = fields.stopSequence;
      }
      return result;
    });
}
