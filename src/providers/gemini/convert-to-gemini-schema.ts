import { isJsonObject, type JsonObject, type JsonValue } from '../../core/json.js';
import { cleanJsonSchema } from '../../core/model/clean-json-schema.js';

/**
 * How tool and response schemas travel to Gemini:
 * - `json-schema` (the default): as JSON Schema in `parametersJsonSchema` / `responseJsonSchema`,
 *   which the Generative Language API accepts for Gemini 2.5 and later with `$ref`, `anyOf`,
 *   `additionalProperties`, `const` and the rest. Only `$schema` is removed: the API rejects it.
 * - `openapi`: in `parameters` / `responseSchema`, the OpenAPI 3.0 subset every Gemini model and the
 *   Code Assist API accept; see `convertToGeminiOpenApiSchema` for what is rewritten to fit it.
 */
export type GeminiSchemaMode = 'json-schema' | 'openapi';

/** A JSON Schema for `parametersJsonSchema` / `responseJsonSchema`. */
export function convertToGeminiJsonSchema(schema: JsonObject): JsonObject {
  return cleanJsonSchema(schema, { removeKeywords: ['$schema'] });
}

/** Keywords of Gemini's `Schema` message; anything else makes the API answer 400. */
const OPENAPI_KEYWORDS = new Set([
  'type',
  'format',
  'title',
  'description',
  'nullable',
  'enum',
  'maxItems',
  'minItems',
  'properties',
  'required',
  'minProperties',
  'maxProperties',
  'minLength',
  'maxLength',
  'pattern',
  'anyOf',
  'propertyOrdering',
  'default',
  'items',
  'minimum',
  'maximum',
]);

/** The only `format` values Gemini accepts, per type. */
const FORMATS: Record<string, readonly string[]> = {
  string: ['enum', 'date-time'],
  number: ['float', 'double'],
  integer: ['int32', 'int64'],
};

/** How deep a recursive `$ref` is expanded before it is cut to a plain object. */
const MAX_REF_DEPTH = 4;

/**
 * A JSON Schema → Gemini's OpenAPI `Schema`, or `undefined` for an object schema without properties
 * (Gemini rejects empty object parameters; a function without parameters simply omits them).
 * Rewrites, in order: local `$ref`s are inlined (recursion cut after a few levels) and `$defs`
 * dropped; `oneOf` reads as `anyOf`; a `"null"` type or `anyOf` branch becomes `nullable: true`;
 * a single-branch `anyOf` and every `allOf` are merged into their schema; `const` becomes a one-value
 * `enum`; enums that are not all strings and formats Gemini does not know are dropped; `required`
 * keeps only declared properties; every other keyword (`additionalProperties`,
 * `exclusiveMinimum`, `$schema`, `examples`, …) is removed.
 */
export function convertToGeminiOpenApiSchema(schema: JsonObject): JsonObject | undefined {
  const inlined = inlineRefs(schema, { root: schema, depth: 0 });
  const cleaned = cleanJsonSchema(isJsonObject(inlined) ? inlined : {}, {
    removeKeywords: ['$defs', 'definitions'],
    objectRoot: true,
    transform: toOpenApiNode,
  });
  if (cleaned.type === 'object' && Object.keys(propertiesOf(cleaned)).length === 0) return undefined;
  return cleaned;
}

function inlineRefs(node: JsonValue, context: { root: JsonObject; depth: number }): JsonValue {
  if (Array.isArray(node)) return node.map((item) => inlineRefs(item, context));
  if (!isJsonObject(node)) return node;
  const ref = node.$ref;
  if (typeof ref === 'string') {
    const { $ref: _ref, ...siblings } = node;
    const target = context.depth < MAX_REF_DEPTH ? resolvePointer(context.root, ref) : undefined;
    const resolved = target
      ? inlineRefs(target, { ...context, depth: context.depth + 1 })
      : { type: 'object' };
    return isJsonObject(resolved) ? { ...resolved, ...siblings } : siblings;
  }
  const result: JsonObject = {};
  for (const [key, value] of Object.entries(node)) result[key] = inlineRefs(value, context);
  return result;
}

/** `#/$defs/Name` style pointers into the root document; remote references are not followed. */
function resolvePointer(root: JsonObject, ref: string): JsonObject | undefined {
  if (!ref.startsWith('#')) return undefined;
  let current: JsonValue = root;
  for (const token of ref.slice(1).split('/').filter(Boolean)) {
    const key = decodeURIComponent(token).replace(/~1/g, '/').replace(/~0/g, '~');
    if (!isJsonObject(current)) return undefined;
    const next: JsonValue | undefined = current[key];
    if (next === undefined) return undefined;
    current = next;
  }
  return isJsonObject(current) ? current : undefined;
}

function toOpenApiNode(input: JsonObject): JsonObject {
  let node: JsonObject = mergeAllOf(input);
  if (node.oneOf !== undefined && node.anyOf === undefined) node = { ...node, anyOf: node.oneOf };
  node = liftNullable(node);
  if (node.const !== undefined && node.enum === undefined) node = { ...node, enum: [node.const] };
  const result: JsonObject = {};
  for (const [key, value] of Object.entries(node)) if (OPENAPI_KEYWORDS.has(key)) result[key] = value;
  const enumValues = result.enum;
  if (
    enumValues !== undefined &&
    !(Array.isArray(enumValues) && enumValues.every((v) => typeof v === 'string'))
  ) {
    delete result.enum;
  }
  if (typeof result.format === 'string' && !FORMATS[String(result.type)]?.includes(result.format)) {
    delete result.format;
  }
  if (Array.isArray(result.required)) {
    const declared = propertiesOf(result);
    result.required = result.required.filter((name) => typeof name === 'string' && name in declared);
    if (result.required.length === 0) delete result.required;
  }
  return result;
}

/** `allOf` members are merged into the schema: properties and `required` joined, the rest first-wins. */
function mergeAllOf(node: JsonObject): JsonObject {
  const { allOf, ...rest } = node;
  if (!Array.isArray(allOf)) return node;
  let merged: JsonObject = rest;
  for (const member of allOf) {
    if (!isJsonObject(member)) continue;
    const properties = { ...propertiesOf(member), ...propertiesOf(merged) };
    const required = [...requiredOf(merged), ...requiredOf(member)];
    merged = { ...member, ...merged };
    if (Object.keys(properties).length > 0) merged.properties = properties;
    if (required.length > 0) merged.required = [...new Set(required)];
  }
  return merged;
}

/** `type: ["x", "null"]` and `anyOf: [{…}, {type: "null"}]` → `nullable: true`. */
function liftNullable(node: JsonObject): JsonObject {
  let result = node;
  if (Array.isArray(node.type)) {
    const types = node.type.filter((type) => type !== 'null');
    result = { ...result, type: types[0] ?? 'string' };
    if (types.length < node.type.length) result.nullable = true;
  }
  if (Array.isArray(result.anyOf)) {
    const branches = result.anyOf.filter((branch) => !(isJsonObject(branch) && branch.type === 'null'));
    if (branches.length < result.anyOf.length) result = { ...result, nullable: true };
    const [only] = branches;
    if (branches.length === 1 && isJsonObject(only)) {
      const { anyOf: _anyOf, oneOf: _oneOf, ...rest } = result;
      result = { ...only, ...rest };
    } else {
      result = { ...result, anyOf: branches };
    }
  }
  return result;
}

function propertiesOf(schema: JsonObject): JsonObject {
  return isJsonObject(schema.properties) ? schema.properties : {};
}

function requiredOf(schema: JsonObject): string[] {
  return Array.isArray(schema.required) ? schema.required.filter((name) => typeof name === 'string') : [];
}
