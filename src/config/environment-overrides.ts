import type { JsonObject, JsonValue } from '../core/json.js';
import {
  type ConfigVariable,
  configVariables,
  dottedPath,
  type SettingKind,
  VARIABLE_PREFIX,
  variableName,
} from './config-variables.js';
import { overlayEnvironment } from './environment-overlay.js';
import { configIssues, configSchema } from './schema.js';

/**
 * Reading settings from environment variables (`SWITCHYARD_PROXY__AUTH_MODE=strict`). Each
 * variable's text is read as its setting's type — booleans `true`/`false`/`1`/`0`, numbers, enum
 * values (any letter case), text as is, arrays and records as JSON — and the word `null` sets a
 * setting that accepts null. An empty or blank variable counts as not set. A name with `__` that
 * is no setting (a typo) is a problem, like a bad value; other `SWITCHYARD_*` names without `__`
 * are not settings and are returned as `ignored` (the CLI reads some of them itself).
 */

/** One setting given by an environment variable. */
export interface EnvironmentSetting {
  /** `SWITCHYARD_PROXY__AUTH_MODE`. */
  variable: string;
  /** `['proxy', 'auth_mode']`. */
  path: readonly string[];
  /** The value read from the variable. */
  value: JsonValue;
}

/** The settings the environment gives, in variable-name order. Empty when none is set. */
export type EnvironmentOverrides = readonly EnvironmentSetting[];

/** The outcome of reading the environment: the settings, or one line per problem. */
export type EnvironmentReading =
  | { ok: true; overrides: EnvironmentOverrides; ignored: string[] }
  | { ok: false; problems: string[] };

/** Values echoed in problems are cut here: a long value in the wrong variable may be a secret. */
const SHOWN_VALUE_LIMIT = 32;

/**
 * Reads every `SWITCHYARD_*` setting from `environment` (`process.env` in the CLI) and checks the
 * values against the schema. Problems name the variable, the setting, what was expected and what
 * was given (text and JSON values are never echoed: they may be secrets).
 */
export function readEnvironmentOverrides(
  environment: Readonly<Record<string, string | undefined>>,
): EnvironmentReading {
  const variables = configVariables();
  const byName = new Map(variables.map((variable) => [variable.name, variable]));
  const overrides: EnvironmentSetting[] = [];
  const problems: string[] = [];
  const ignored: string[] = [];
  const names = Object.keys(environment)
    .filter((name) => name.startsWith(VARIABLE_PREFIX))
    .sort();
  for (const name of names) {
    const text = environment[name];
    if (text === undefined || text.trim() === '') continue;
    const variable = byName.get(name);
    if (variable) {
      const read = readValue(variable, text);
      if ('problem' in read) problems.push(`${name} (${dottedPath(variable.path)}): ${read.problem}`);
      else overrides.push({ variable: name, path: variable.path, value: read.value });
      continue;
    }
    const unknown = describeUnknownName(name, variables);
    if (unknown) problems.push(unknown);
    else ignored.push(name);
  }
  if (problems.length === 0) problems.push(...schemaProblems(overrides));
  return problems.length > 0 ? { ok: false, problems } : { ok: true, overrides, ignored };
}

/** `{variable, path}` of each setting the environment gives, for the status API and the log. */
export function pinnedSettings(overrides: EnvironmentOverrides): Array<{ variable: string; path: string }> {
  return overrides.map((setting) => ({ variable: setting.variable, path: dottedPath(setting.path) }));
}

/**
 * What a variable takes, in words: `true or false (or 1 or 0)`, `an integer from 1 to 65535`,
 * `one of off, strict, all_except_health, auto`, `text`, `a JSON array of strings`; `, or null`
 * when the setting accepts null.
 */
export function describeExpected(variable: Pick<ConfigVariable, 'kind' | 'nullable'>): string {
  const text = describeKind(variable.kind);
  return variable.nullable ? `${text}, or null` : text;
}

function describeKind(kind: SettingKind): string {
  switch (kind.type) {
    case 'boolean':
      return 'true or false (or 1 or 0)';
    case 'number': {
      const noun = kind.integer ? 'an integer' : 'a number';
      if (kind.min !== null && kind.max !== null) return `${noun} from ${kind.min} to ${kind.max}`;
      if (kind.min !== null) return `${noun} of at least ${kind.min}`;
      return kind.max !== null ? `${noun} of at most ${kind.max}` : noun;
    }
    case 'enum':
      return `one of ${kind.values.join(', ')}`;
    case 'string':
      return 'text';
    case 'json': {
      const what =
        kind.shape === 'array' ? 'a JSON array' : kind.shape === 'object' ? 'a JSON object' : 'JSON';
      return kind.of ? `${what} of ${kind.of}` : what;
    }
  }
}

type ReadValue = { value: JsonValue } | { problem: string };

function readValue(variable: ConfigVariable, text: string): ReadValue {
  const trimmed = text.trim();
  if (variable.nullable && trimmed === 'null') return { value: null };
  const { kind } = variable;
  const expected = `expected ${describeExpected(variable)}`;
  switch (kind.type) {
    case 'boolean':
      if (/^(true|1)$/i.test(trimmed)) return { value: true };
      if (/^(false|0)$/i.test(trimmed)) return { value: false };
      return { problem: `${expected}, got ${shown(text)}` };
    case 'number':
      return readNumber({ kind, text: trimmed, expected });
    case 'enum': {
      const value = kind.values.find((candidate) => candidate.toLowerCase() === trimmed.toLowerCase());
      return value === undefined ? { problem: `${expected}, got ${shown(text)}` } : { value };
    }
    case 'string':
      return { value: text };
    case 'json':
      return readJson({ kind, text, expected });
  }
}

function readNumber(options: {
  kind: Extract<SettingKind, { type: 'number' }>;
  text: string;
  expected: string;
}): ReadValue {
  const { kind, text, expected } = options;
  const pattern = kind.integer ? /^[+-]?\d+$/ : /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
  const value = Number(text);
  const inRange = (kind.min === null || value >= kind.min) && (kind.max === null || value <= kind.max);
  if (!pattern.test(text) || !Number.isFinite(value) || !inRange)
    return { problem: `${expected}, got ${shown(text)}` };
  return { value };
}

function readJson(options: {
  kind: Extract<SettingKind, { type: 'json' }>;
  text: string;
  expected: string;
}): ReadValue {
  const { kind, text, expected } = options;
  let value: JsonValue;
  try {
    value = JSON.parse(text) as JsonValue;
  } catch {
    // The parser's message quotes the text, which may hold a secret (an OAuth client secret).
    return { problem: `${expected}, got text that is not JSON (${text.length} characters, not shown)` };
  }
  const isArray = Array.isArray(value);
  const isObject = typeof value === 'object' && value !== null && !isArray;
  if ((kind.shape === 'array' && !isArray) || (kind.shape === 'object' && !isObject)) {
    return { problem: `${expected}, got ${describeJson(value)}` };
  }
  return { value };
}

function describeJson(value: JsonValue): string {
  if (value === null) return 'JSON null';
  if (Array.isArray(value)) return 'a JSON array';
  return typeof value === 'object' ? 'a JSON object' : `a JSON ${typeof value}`;
}

function shown(text: string): string {
  return text.length > SHOWN_VALUE_LIMIT ? `${text.length} characters (not shown)` : JSON.stringify(text);
}

/** A problem for a name that looks like a setting but is none (a group of settings, or a typo); else null. */
function describeUnknownName(name: string, variables: readonly ConfigVariable[]): string | null {
  const members = variables.filter((variable) =>
    variable.path.some((_key, index) => index > 0 && variableName(variable.path.slice(0, index)) === name),
  );
  if (members.length > 0) {
    const listed = members.slice(0, 3).map((variable) => variable.name);
    const more = members.length > listed.length ? ', …' : '';
    return `${name}: is a group of settings, not one; set each setting on its own (${listed.join(', ')}${more})`;
  }
  if (!name.includes('__')) return null;
  const closest = closestName(name, variables);
  const hint = closest ? `; did you mean ${closest}?` : '';
  return (
    `${name}: no such setting (a variable is ${VARIABLE_PREFIX} + the gui_config.json path, ` +
    `upper-cased, with __ between keys${hint})`
  );
}

function closestName(name: string, variables: readonly ConfigVariable[]): string | null {
  let best: { name: string; distance: number } | null = null;
  for (const variable of variables) {
    const distance = editDistance(name, variable.name);
    if (distance <= 3 && (best === null || distance < best.distance))
      best = { name: variable.name, distance };
  }
  return best?.name ?? null;
}

/** Levenshtein distance, one row at a time. */
function editDistance(left: string, right: string): number {
  let previous = Array.from({ length: right.length + 1 }, (_value, index) => index);
  for (let row = 1; row <= left.length; row++) {
    const current = [row];
    for (let column = 1; column <= right.length; column++) {
      const substitution = (previous[column - 1] ?? 0) + (left[row - 1] === right[column - 1] ? 0 : 1);
      current.push(Math.min((previous[column] ?? 0) + 1, (current[column - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[right.length] ?? 0;
}

/**
 * The schema's verdict on the environment's values alone (range, length, URL format, array items),
 * each problem named by its variable. Problems outside a variable's path (a rule across settings
 * where the other one is in the file) are left to the validation of the whole config.
 */
function schemaProblems(overrides: EnvironmentOverrides): string[] {
  if (overrides.length === 0) return [];
  const result = configSchema.safeParse(overlayEnvironment({} as JsonObject, overrides));
  if (result.success) return [];
  const issues = configIssues(result.error);
  const problems: string[] = [];
  result.error.issues.forEach((issue, index) => {
    const setting = overrides.find((candidate) => startsWith(issue.path, candidate.path));
    const described = issues[index];
    if (setting && described) problems.push(`${setting.variable} (${described.path}): ${described.message}`);
  });
  return problems;
}

function startsWith(path: readonly PropertyKey[], prefix: readonly string[]): boolean {
  return prefix.every((key, index) => path[index] === key);
}
