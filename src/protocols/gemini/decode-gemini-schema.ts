import type { JsonObject, JsonValue } from '../../core/json.js';
import { cleanJsonSchema } from '../../core/model/clean-json-schema.js';

/**
 * A Gemini `Schema` (the OpenAPI 3.0 subset of `parameters` and `responseSchema`) → JSON Schema, so
 * any provider can read it: type names are lower-cased (`STRING` → `string`, the `@google/genai`
 * enum spelling), `nullable: true` becomes a `"null"` member of `type`, and the Gemini-only
 * `propertyOrdering` and singular `example` are dropped. Everything else is already JSON Schema.
 */
export function decodeGeminiSchema(schema: JsonObject): JsonObject {
  return cleanJsonSchema(schema, {
    removeKeywords: ['propertyOrdering', 'example'],
    transform: normalizeNode,
  });
}

function normalizeNode(node: JsonObject): JsonObject {
  const { nullable, ...rest } = node;
  const type = lowerType(rest.type);
  if (type === undefined) return rest;
  if (nullable === true && typeof type === 'string' && type !== 'null')
    return { ...rest, type: [type, 'null'] };
  return { ...rest, type };
}

function lowerType(type: JsonValue | undefined): JsonValue | undefined {
  if (typeof type === 'string') return type.toLowerCase();
  if (Array.isArray(type))
    return type.map((member) => (typeof member === 'string' ? member.toLowerCase() : member));
  return type;
}
