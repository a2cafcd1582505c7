import { modelMatches } from '../core/account.js';
import type { ModelAlias } from './model-aliases.js';

/** What one mapping key sends upstream: one model, or a fallback chain tried in order. */
export type MappingTarget = string | readonly string[];

/** `proxy.custom_mapping`: requested model (exact or `*` wildcard) → model or fallback chain. */
export type ModelMapping = Readonly<Record<string, MappingTarget>>;

/** How a requested model was resolved. */
export interface ModelResolution {
  /** The first model of `models`: the one sent upstream when an account can serve it. */
  mapped: string;
  /**
   * The models to try, in order (a fallback chain): the gateway moves to the next only when no
   * account can serve the current one. Never empty; no model twice.
   */
  models: readonly string[];
  /** The mapping key (or alias pattern) that matched; null for pass-through. */
  rule: string | null;
  /**
   * `exact` / `wildcard`: a `custom_mapping` key; `alias`: a model alias (the requested model is
   * tried first, then the alias's models); `passthrough`: nothing matched, `models` is the input.
   */
  kind: 'exact' | 'wildcard' | 'alias' | 'passthrough';
}

interface Rule {
  pattern: string;
  models: readonly string[];
}

interface CompiledRules {
  exact: Map<string, Rule>;
  /** Wildcard rules in priority order: the first that matches wins. */
  wildcards: readonly Rule[];
}

// Client model names are arbitrary strings, so the memo is bounded; clearing it when full is
// simpler than an LRU and costs at most one re-scan per distinct model.
const MEMO_LIMIT = 1024;

/**
 * A model mapping compiled once (DESIGN §1, "resolve model mapping"). Priority:
 * 1. an exact `custom_mapping` key;
 * 2. the most specific matching wildcard key (`*` matches any run of characters, case-sensitive;
 *    specificity = pattern length minus number of `*`; ties go to the lexicographically smaller
 *    pattern, so the result never depends on key order);
 * 3. a model alias, chosen by the same rules among the alias patterns: the requested model first,
 *    then the alias's models (an alias never hides a model the pool serves);
 * 4. pass-through: the model unchanged.
 * Mapping values are used as given; validating them (e.g. non-empty targets) is the config's job.
 */
export class ModelRouter {
  private readonly mapping: CompiledRules;
  private readonly aliases: CompiledRules;
  private readonly memo = new Map<string, ModelResolution>();

  constructor(mapping: ModelMapping, aliases: readonly ModelAlias[] = []) {
    this.mapping = compile(Object.entries(mapping).map(([pattern, target]) => ruleOf(pattern, target)));
    this.aliases = compile(aliases.map((alias) => ruleOf(alias.pattern, alias.models)));
  }

  /** Resolves `model` against the mapping and the aliases (see the class comment for the priority). */
  resolve(model: string): ModelResolution {
    const remembered = this.memo.get(model);
    if (remembered !== undefined) return remembered;
    const resolution = this.match(model);
    if (this.memo.size >= MEMO_LIMIT) this.memo.clear();
    this.memo.set(model, resolution);
    return resolution;
  }

  private match(model: string): ModelResolution {
    const mapped = find(this.mapping, model);
    if (mapped)
      return resolution(mapped.rule.models, mapped.rule.pattern, mapped.exact ? 'exact' : 'wildcard');
    const alias = find(this.aliases, model);
    if (alias) return resolution(unique([model, ...alias.rule.models]), alias.rule.pattern, 'alias');
    return resolution([model], null, 'passthrough');
  }
}

/**
 * Resolves one model against a mapping without keeping the compiled form. On the request path,
 * prefer one {@link ModelRouter} per mapping.
 */
export function resolveModel(
  model: string,
  mapping: ModelMapping,
  aliases: readonly ModelAlias[] = [],
): ModelResolution {
  return new ModelRouter(mapping, aliases).resolve(model);
}

/** A mapping target as the list of models it stands for. */
export function targetModels(target: MappingTarget): readonly string[] {
  return typeof target === 'string' ? [target] : target;
}

function ruleOf(pattern: string, target: MappingTarget): Rule {
  return { pattern, models: unique(targetModels(target)) };
}

function resolution(
  models: readonly string[],
  rule: string | null,
  kind: ModelResolution['kind'],
): ModelResolution {
  return Object.freeze({ mapped: models[0] ?? '', models: Object.freeze([...models]), rule, kind });
}

function compile(rules: readonly Rule[]): CompiledRules {
  const exact = new Map<string, Rule>();
  const wildcards: Rule[] = [];
  for (const rule of rules) {
    exact.set(rule.pattern, rule);
    if (rule.pattern.includes('*')) wildcards.push(rule);
  }
  wildcards.sort(byPriority);
  return { exact, wildcards };
}

function find(rules: CompiledRules, model: string): { rule: Rule; exact: boolean } | null {
  const exact = rules.exact.get(model);
  if (exact !== undefined) return { rule: exact, exact: true };
  for (const rule of rules.wildcards) if (modelMatches(rule.pattern, model)) return { rule, exact: false };
  return null;
}

function unique(models: readonly string[]): string[] {
  return [...new Set(models)];
}

function specificity(pattern: string): number {
  let stars = 0;
  for (const character of pattern) if (character === '*') stars++;
  return pattern.length - stars;
}

function byPriority(left: Rule, right: Rule): number {
  const difference = specificity(right.pattern) - specificity(left.pattern);
  if (difference !== 0) return difference;
  if (left.pattern === right.pattern) return 0;
  // Code-unit order, not localeCompare: the winner must not depend on the machine's locale.
  return left.pattern < right.pattern ? -1 : 1;
}
