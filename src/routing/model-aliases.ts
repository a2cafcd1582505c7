/**
 * Model aliases: where the model ids that popular clients ask for by default go when the pool does
 * not serve them, so a fresh pool works with Claude Code, Codex and Gemini CLI without a hand-written
 * mapping. An alias never replaces a model: the requested model is tried first, then the alias's
 * models in order (a fallback chain, see `ModelRouter`); an account that answers that it does not
 * know a model is skipped for that model, so the chain settles on what the pool really serves.
 */

/** One alias: a requested model (exact or `*` wildcard) → the models tried after it, in order. */
export interface ModelAlias {
  pattern: string;
  models: readonly string[];
  /** Who asks for these ids (shown in the UI and the docs). */
  client: string;
  /** `builtin`: shipped with Switchyard; `config`: from `proxy.model_aliases.overrides`. */
  source: 'builtin' | 'config';
}

/** Small, fast models on every upstream family, cheapest first within a family. */
const SMALL = ['claude-haiku-4-5', 'gemini-2.5-flash', 'gemini-3-flash', 'gpt-5-mini'];
/** The main models of every family, as Anthropic, Google (Gemini API and Code Assist) and OpenAI name them. */
const SONNET = ['claude-sonnet-4-6', 'claude-sonnet-4-5', 'gemini-3-pro-high', 'gemini-2.5-pro', 'gpt-5'];

function builtin(pattern: string, client: string, models: readonly string[]): ModelAlias {
  return { pattern, client, models, source: 'builtin' };
}

/**
 * The built-in table, for the ids these clients send when the user configured nothing:
 * - Claude Code: its main model (`claude-opus-4-*`, `claude-sonnet-4-*`) and its small/fast model
 *   for titles, summaries and quota checks (`claude-haiku-4-5-*`, before that `claude-3-5-haiku-*`);
 * - Codex: `gpt-5*` and `gpt-5*-codex*` (its coding models, `-max` variants included), `gpt-5*-mini`;
 * - Gemini CLI: `gemini-*-pro*` and its flash model `gemini-*-flash*`.
 */
export const BUILTIN_MODEL_ALIASES: readonly ModelAlias[] = Object.freeze([
  builtin('claude-opus-4*', 'Claude Code (main model)', [
    'claude-opus-4-6-thinking',
    'claude-opus-4-6',
    'claude-opus-4-5',
    ...SONNET,
  ]),
  builtin('claude-sonnet-4*', 'Claude Code (main model)', SONNET),
  builtin('claude-haiku-4*', 'Claude Code (small/fast model)', SMALL),
  builtin('claude-3-5-haiku-*', 'Claude Code (small/fast model, older versions)', SMALL),
  builtin('gpt-5*', 'Codex', ['gpt-5', 'claude-sonnet-4-6', 'gemini-2.5-pro']),
  builtin('gpt-5*-codex*', 'Codex', ['gpt-5-codex', 'gpt-5', 'claude-sonnet-4-6', 'gemini-2.5-pro']),
  builtin('gpt-5*-mini', 'Codex (small model)', ['gpt-5-mini', 'gemini-2.5-flash', 'claude-haiku-4-5']),
  builtin('gemini-*-pro*', 'Gemini CLI', [
    'gemini-2.5-pro',
    'gemini-3-pro-high',
    'claude-sonnet-4-6',
    'gpt-5',
  ]),
  builtin('gemini-*-flash*', 'Gemini CLI (flash model)', [
    'gemini-2.5-flash',
    'gemini-3-flash',
    'claude-haiku-4-5',
    'gpt-5-mini',
  ]),
]);

/** `proxy.model_aliases` of the config. */
export interface ModelAliasSettings {
  /** false: no alias applies, built-in or configured. */
  enabled: boolean;
  /**
   * Pattern → models: replaces the built-in alias of that pattern or adds one; null removes the
   * built-in alias of that pattern.
   */
  overrides: Readonly<Record<string, string | readonly string[] | null>>;
}

/** The aliases in force: the built-in table with the overrides applied (none when disabled). */
export function effectiveModelAliases(settings: ModelAliasSettings): ModelAlias[] {
  if (!settings.enabled) return [];
  const aliases = new Map<string, ModelAlias>(BUILTIN_MODEL_ALIASES.map((alias) => [alias.pattern, alias]));
  for (const [pattern, target] of Object.entries(settings.overrides)) {
    if (target === null) {
      aliases.delete(pattern);
      continue;
    }
    const models = typeof target === 'string' ? [target] : [...target];
    aliases.set(pattern, { pattern, models, client: 'configured', source: 'config' });
  }
  return [...aliases.values()];
}
