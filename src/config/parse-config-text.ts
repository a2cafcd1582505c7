import { isJsonObject, type JsonObject } from '../core/json.js';
import { overlayEnvironment as overlay, withoutPinned } from './environment-overlay.js';
import type { EnvironmentOverrides } from './environment-overrides.js';
import {
  type ConfigIssue,
  configIssues,
  configSchema,
  defaultConfig,
  type SwitchyardConfig,
} from './schema.js';

/** The outcome of validating a config document. */
export type ConfigValidation = { ok: true; config: SwitchyardConfig } | { ok: false; issues: ConfigIssue[] };

/** The outcome of reading a config file's text. */
export type ParsedConfigText =
  | {
      ok: true;
      /** The document as written by the user (no defaults filled in), plus a generated API key if it had none. */
      document: JsonObject;
      config: SwitchyardConfig;
      /** True when `proxy.api_key` was missing, null or empty and a generated one was added to `document`. */
      apiKeyAdded: boolean;
    }
  | { ok: false; issues: ConfigIssue[] };

/** Validates a config document against the schema; issues carry exact paths and never values. */
export function validateConfigDocument(document: unknown): ConfigValidation {
  const result = configSchema.safeParse(document, { reportInput: true });
  return result.success
    ? { ok: true, config: result.data }
    : { ok: false, issues: configIssues(result.error) };
}

/**
 * The document of a new config file: every default, a generated API key, and nothing the
 * environment gives (`overrides`, laid over it for the config in force).
 */
export function defaultConfigDocument(options: {
  generateApiKey: () => string;
  overrides?: EnvironmentOverrides;
}): ParsedConfigText {
  const overrides = options.overrides ?? [];
  const defaults = defaultConfig();
  defaults.proxy.api_key = options.generateApiKey();
  const document = withoutPinned(JSON.parse(JSON.stringify(defaults)) as JsonObject, overrides);
  const validation = validateConfigDocument(overlay(document, overrides));
  return validation.ok ? { ok: true, document, config: validation.config, apiKeyAdded: true } : validation;
}

/**
 * Parses the text of `gui_config.json`: JSON syntax, then an API key when the file has none, then
 * the schema, with the settings `overrides` gives (the environment's) laid over the document.
 * Syntax errors are reported at `(root)` with their line and column.
 */
export function parseConfigText(
  text: string,
  options: { generateApiKey: () => string; overrides?: EnvironmentOverrides },
): ParsedConfigText {
  const source = text.startsWith('\uFEFF') ? text.slice(1) : text;
  if (source.trim() === '') return { ok: false, issues: [{ path: '(root)', message: 'the file is empty' }] };
  let document: unknown;
  try {
    document = JSON.parse(source);
  } catch (error) {
    return { ok: false, issues: [{ path: '(root)', message: describeSyntaxError(error, source) }] };
  }
  // A key the environment gives is in force: the file is not given one of its own.
  const keyPinned = options.overrides?.some((setting) => setting.path.join('.') === 'proxy.api_key') ?? false;
  const apiKeyAdded =
    isJsonObject(document) && !keyPinned && addMissingApiKey(document, options.generateApiKey);
  const validation = isJsonObject(document)
    ? validateConfigDocument(overlay(document, options.overrides ?? []))
    : validateConfigDocument(document);
  if (!validation.ok) return validation;
  return { ok: true, document: document as JsonObject, config: validation.config, apiKeyAdded };
}

// Missing, null and "" all mean "no key yet", so deleting the value is how a user asks for a new one.
function addMissingApiKey(document: JsonObject, generateApiKey: () => string): boolean {
  const proxy = document['proxy'];
  if (proxy === undefined) {
    document['proxy'] = { api_key: generateApiKey() };
    return true;
  }
  if (!isJsonObject(proxy)) return false;
  const key = proxy['api_key'];
  if (key !== undefined && key !== null && key !== '') return false;
  proxy['api_key'] = generateApiKey();
  return true;
}

function describeSyntaxError(error: unknown, source: string): string {
  const message = error instanceof Error ? error.message : String(error);
  // V8 quotes a piece of the text (`Unexpected token 's', ..."api_key": sk-1234"... is not valid
  // JSON`). It may hold a secret, and this message is logged and shown as `config_error`: the
  // quote is replaced by the line and column it points at.
  const quoted = /^(.*?), (\.\.\.)?"(.*)"(\.\.\.)? is not valid JSON$/s.exec(message);
  if (quoted) {
    const [, reason = message, leadingDots, excerpt = ''] = quoted;
    const start = source.indexOf(excerpt);
    // A leading `...` means the excerpt starts 10 characters before the error.
    const offset = start < 0 ? null : leadingDots ? start + 10 : start;
    return `invalid JSON: ${reason}${offset === null ? '' : ` ${lineAndColumn(source, offset)}`}`;
  }
  const position = /at position (\d+)/.exec(message);
  if (!position?.[1] || /\(line \d+/.test(message)) return `invalid JSON: ${message}`;
  return `invalid JSON: ${message} ${lineAndColumn(source, Number(position[1]))}`;
}

function lineAndColumn(source: string, offset: number): string {
  const before = source.slice(0, offset);
  const line = before.split('\n').length;
  const column = before.length - before.lastIndexOf('\n');
  return `(line ${line} column ${column})`;
}
