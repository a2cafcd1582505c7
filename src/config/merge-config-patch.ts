import { isJsonObject, type JsonObject } from '../core/json.js';

/** Dotted paths of records that a patch replaces as a whole instead of merging key by key. */
const replacedAsWhole = new Set([
  'proxy.custom_mapping',
  'proxy.model_aliases.overrides',
  'oauth.clients',
  'pricing.models',
]);

/**
 * Applies a deep-partial `patch` to a config document and returns the new document; neither input
 * is changed. Objects merge key by key; arrays, scalars, null and the records in `replacedAsWhole`
 * (so a mapping or a price table can lose entries) replace what was there. Keys the schema does not know are kept.
 */
export function mergeConfigPatch(document: JsonObject, patch: JsonObject): JsonObject {
  return mergeObjects({ base: document, patch, prefix: '' });
}

function mergeObjects(options: { base: JsonObject; patch: JsonObject; prefix: string }): JsonObject {
  const { base, patch, prefix } = options;
  const result: JsonObject = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    // Assigning `__proto__` would change the result's prototype instead of adding a key.
    if (key === '__proto__') continue;
    const path = prefix ? `${prefix}.${key}` : key;
    const existing = base[key];
    result[key] =
      isJsonObject(value) && isJsonObject(existing) && !replacedAsWhole.has(path)
        ? mergeObjects({ base: existing, patch: value, prefix: path })
        : value;
  }
  return result;
}
