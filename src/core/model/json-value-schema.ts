import { z } from 'zod';
import { isJsonObject, type JsonObject, type JsonValue } from '../json.js';

/**
 * Schemas for the free-form JSON inside request and response bodies (tool inputs, tool schemas,
 * function arguments). Every value there came out of `JSON.parse`, so it is JSON by construction:
 * these check the outer type only and return the value itself. Zod's recursive `z.json()` would walk
 * and copy every nested level again — most of the decode time of a body with large tool inputs —
 * and recurse as deep as the client nested.
 */
export const jsonValueSchema = z.custom<JsonValue>((value) => value !== undefined, {
  message: 'expected a JSON value',
});

/** A JSON object (not an array, not null). */
export const jsonObjectSchema = z.custom<JsonObject>(isJsonObject, { message: 'expected a JSON object' });
