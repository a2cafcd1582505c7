import { isJsonObject, type JsonObject, type JsonValue } from '../json.js';
import { setOwnProperty } from './set-own-property.js';

/**
 * How to adapt a tool's JSON Schema to what one upstream accepts. Each provider converter documents
 * the rules it uses and why; the Gemini converter, which accepts the smallest subset, uses the most.
 */
export interface CleanJsonSchemaOptions {
  /** Keywords deleted wherever a schema appears (root, properties, items, anyOf branches, …). */
  removeKeywords?: readonly string[];
  /**
   * Makes the root an object schema: sets `type: "object"` when the root has no `type`, and adds
   * `properties: {}` when an object root has none (OpenAI rejects object schemas without it).
   */
  objectRoot?: boolean;
  /** Called on every schema object after keyword removal, children first; returns its replacement. */
  transform?: (schema: JsonObject) => JsonObject;
}

/** Keywords whose value is one subschema. */
const SCHEMA_KEYWORDS = [
  'items',
  'additionalItems',
  'additionalProperties',
  'unevaluatedItems',
  'unevaluatedProperties',
  'contains',
  'propertyNames',
  'not',
  'if',
  'then',
  'else',
] as const;
/** Keywords whose value is a list of subschemas. */
const SCHEMA_LIST_KEYWORDS = ['anyOf', 'oneOf', 'allOf', 'prefixItems', 'items'] as const;
/** Keywords whose value maps names to subschemas (the names themselves are data, never cleaned). */
const SCHEMA_MAP_KEYWORDS = [
  'properties',
  'patternProperties',
  '$defs',
  'definitions',
  'dependentSchemas',
] as const;

/**
 * Returns a cleaned copy of `schema`; the input is not modified. Only schema positions are visited,
 * so a property that happens to be called `$schema` or `format` is kept.
 */
export function cleanJsonSchema(schema: JsonObject, options: CleanJsonSchemaOptions): JsonObject {
  const cleaned = cleanSchemaNode(schema, options);
  const root = isJsonObject(cleaned) ? cleaned : {};
  if (!options.objectRoot) return root;
  const withType: JsonObject = root.type === undefined ? { type: 'object', ...root } : root;
  if (withType.type === 'object' && withType.properties === undefined) return { ...withType, properties: {} };
  return withType;
}

function cleanSchemaNode(node: JsonValue, options: CleanJsonSchemaOptions): JsonValue {
  // `true`/`false` are valid schemas; anything else that is not an object is left as it is.
  if (!isJsonObject(node)) return node;
  const removed = new Set(options.removeKeywords ?? []);
  const result: JsonObject = {};
  for (const [key, value] of Object.entries(node)) {
    if (removed.has(key)) continue;
    setOwnProperty(result, key, cleanKeywordValue(key, value, options));
  }
  return options.transform ? options.transform(result) : result;
}

function cleanKeywordValue(key: string, value: JsonValue, options: CleanJsonSchemaOptions): JsonValue {
  if ((SCHEMA_LIST_KEYWORDS as readonly string[]).includes(key) && Array.isArray(value)) {
    return value.map((item) => cleanSchemaNode(item, options));
  }
  if ((SCHEMA_KEYWORDS as readonly string[]).includes(key)) return cleanSchemaNode(value, options);
  if ((SCHEMA_MAP_KEYWORDS as readonly string[]).includes(key) && isJsonObject(value)) {
    const map: JsonObject = {};
    for (const [name, subschema] of Object.entries(value))
      setOwnProperty(map, name, cleanSchemaNode(subschema, options));
    return map;
  }
  return value;
}
