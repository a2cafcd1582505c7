import type { z } from 'zod';
import { configSchema } from './schema.js';

/**
 * Every setting of `gui_config.json` as an environment variable, derived from the zod schema so a
 * new setting gets its variable (and its row in the README table) without further code. The name
 * is `SWITCHYARD_` + the path's keys upper-cased and joined by `__`: `proxy.auth_mode` →
 * `SWITCHYARD_PROXY__AUTH_MODE`, `refresh_interval` → `SWITCHYARD_REFRESH_INTERVAL`. Objects are
 * walked into; every other value — scalars, and arrays and records as a whole — is one variable.
 */

/** The prefix of every Switchyard environment variable. */
export const VARIABLE_PREFIX = 'SWITCHYARD_';

/** What a variable's text is read as. */
export type SettingKind =
  | { type: 'boolean' }
  | { type: 'number'; integer: boolean; min: number | null; max: number | null }
  | { type: 'enum'; values: readonly string[] }
  | { type: 'string' }
  /** Arrays (`[...]`), records (`{...}`) and anything else, given as JSON. */
  | { type: 'json'; shape: 'array' | 'object' | 'value'; of: string | null };

/** One setting reachable by an environment variable. */
export interface ConfigVariable {
  /** `SWITCHYARD_PROXY__AUTH_MODE`. */
  name: string;
  /** The keys from the root of the config, `['proxy', 'auth_mode']`. */
  path: readonly string[];
  kind: SettingKind;
  /** The setting accepts `null` (given as the word `null`). */
  nullable: boolean;
}

type Schema = z.core.$ZodType;

/** Wrappers whose inner schema decides the value's type. */
const WRAPPERS = new Set(['default', 'prefault', 'optional', 'nullable', 'readonly', 'catch', 'nonoptional']);

/** The variable name of a config path. */
export function variableName(path: readonly string[]): string {
  return VARIABLE_PREFIX + path.map((key) => key.toUpperCase()).join('__');
}

/** The dotted form of a path, as the README and error messages show it: `proxy.auth_mode`. */
export function dottedPath(path: readonly string[]): string {
  return path.join('.');
}

/** Every setting of `schema` (default: the config schema) as a variable, in the schema's order. */
export function configVariables(schema: Schema = configSchema): ConfigVariable[] {
  const variables: ConfigVariable[] = [];
  walk(schema, [], variables);
  return variables;
}

function walk(schema: Schema, path: string[], into: ConfigVariable[]): void {
  const { inner, nullable } = unwrap(schema);
  const def = inner._zod.def as { type: string; shape?: Record<string, Schema> };
  if (def.type === 'object' && def.shape) {
    for (const [key, child] of Object.entries(def.shape)) walk(child, [...path, key], into);
    return;
  }
  into.push({ name: variableName(path), path, kind: kindOf(inner), nullable });
}

function unwrap(schema: Schema): { inner: Schema; nullable: boolean } {
  let inner = schema;
  let nullable = false;
  for (;;) {
    const def = inner._zod.def as { type: string; innerType?: Schema; in?: Schema };
    if (def.type === 'nullable') nullable = true;
    if (WRAPPERS.has(def.type) && def.innerType) inner = def.innerType;
    else if (def.type === 'pipe' && def.in) inner = def.in;
    else return { inner, nullable };
  }
}

function kindOf(schema: Schema): SettingKind {
  const def = schema._zod.def as {
    type: string;
    entries?: Record<string, string>;
    element?: Schema;
    valueType?: Schema;
  };
  switch (def.type) {
    case 'boolean':
      return { type: 'boolean' };
    case 'number':
      return numberKind(schema as z.ZodNumber);
    case 'enum':
      return { type: 'enum', values: Object.values(def.entries ?? {}) };
    case 'string':
      return { type: 'string' };
    case 'array':
      return { type: 'json', shape: 'array', of: def.element ? describeElement(def.element) : null };
    case 'record':
      return { type: 'json', shape: 'object', of: def.valueType ? describeElement(def.valueType) : null };
    case 'object':
      return { type: 'json', shape: 'object', of: null };
    default:
      return { type: 'json', shape: 'value', of: null };
  }
}

function numberKind(schema: z.ZodNumber): SettingKind {
  // Integers without an explicit bound report the safe-integer range: that is no bound to a reader.
  const bound = (value: number | null) =>
    value === null || Math.abs(value) >= Number.MAX_SAFE_INTEGER || !Number.isFinite(value) ? null : value;
  return { type: 'number', integer: schema.isInt, min: bound(schema.minValue), max: bound(schema.maxValue) };
}

/** `integers`, `text`, `objects`…: what the elements of an array or the values of a record are. */
function describeElement(schema: Schema): string {
  const { inner, nullable } = unwrap(schema);
  const options = (inner._zod.def as { type: string; options?: Schema[] }).options;
  if (options !== undefined) {
    const alternatives = options.map(describeElement);
    return [...alternatives, ...(nullable ? ['null'] : [])].join(' or ');
  }
  const kind = kindOf(inner);
  switch (kind.type) {
    case 'boolean':
      return 'booleans';
    case 'number':
      return kind.integer ? 'integers' : 'numbers';
    case 'enum':
    case 'string':
      return 'strings';
    case 'json':
      return kind.shape === 'array' ? 'arrays' : 'objects';
  }
}
