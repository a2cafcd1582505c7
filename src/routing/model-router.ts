import { modelMatches } from '../core/account.js';

/** How a requested model was resolved. */
export interface ModelResolution {
  /** The model id to send upstream. */
  mapped: string;
  /** The mapping key that matched; null for pass-through. */
  rule: string | null;
  /** `exact` key, `wildcard` pattern, or `passthrough` (no rule matched; `mapped` is the input). */
  kind: 'exact' | 'wildcard' | 'passthrough';
}

interface WildcardRule {
  pattern: string;
  target: string;
  specificity: number;
}

// Client model names are arbitrary strings, so the memo is bounded; clearing it when full is
// simpler than an LRU and costs at most one re-scan per distinct model.
const MEMO_LIMIT = 1024;

/**
 * A model mapping compiled once (DESIGN §1, "resolve model mapping"). Priority:
 * 1. an exact key;
 * 2. the most specific matching wildcard key (`*` matches any run of characters, case-sensitive;
 *    specificity = pattern length minus number of `*`; ties go to the lexicographically smaller
 *    pattern, so the result never depends on key order);
 * 3. pass-through: the model unchanged.
 * Mapping values are used as given; validating them (e.g. non-empty targets) is the config's job.
 */
export class ModelRouter {
  private readonly exact = new Map<string, string>();
  /** Wildcard rules in priority order: the first that matches wins. */
  private readonly wildcards: readonly WildcardRule[];
  private readonly memo = new Map<string, ModelResolution>();

  constructor(mapping: Record<string, string>) {
    const wildcards: WildcardRule[] = [];
    for (const [pattern, target] of Object.entries(mapping)) {
      this.exact.set(pattern, target);
      if (pattern.includes('*')) {
        wildcards.push({ pattern, target, specificity: pattern.length - countStars(pattern) });
      }
    }
    wildcards.sort(byPriority);
    this.wildcards = wildcards;
  }

  /** Resolves `model` against the mapping (see the class comment for the priority). */
  resolve(model: string): ModelResolution {
    const remembered = this.memo.get(model);
    if (remembered !== undefined) return remembered;
    const resolution = this.match(model);
    if (this.memo.size >= MEMO_LIMIT) this.memo.clear();
    this.memo.set(model, resolution);
    return resolution;
  }

  private match(model: string): ModelResolution {
    const exactTarget = this.exact.get(model);
    if (exactTarget !== undefined) return Object.freeze({ mapped: exactTarget, rule: model, kind: 'exact' });
    for (const rule of this.wildcards) {
      if (modelMatches(rule.pattern, model)) {
        return Object.freeze({ mapped: rule.target, rule: rule.pattern, kind: 'wildcard' });
      }
    }
    return Object.freeze({ mapped: model, rule: null, kind: 'passthrough' });
  }
}

/**
 * Resolves one model against a mapping without keeping the compiled form. On the request path,
 * prefer one {@link ModelRouter} per mapping.
 */
export function resolveModel(model: string, mapping: Record<string, string>): ModelResolution {
  return new ModelRouter(mapping).resolve(model);
}

function countStars(pattern: string): number {
  let stars = 0;
  for (const character of pattern) if (character === '*') stars++;
  return stars;
}

function byPriority(left: WildcardRule, right: WildcardRule): number {
  if (left.specificity !== right.specificity) return right.specificity - left.specificity;
  if (left.pattern === right.pattern) return 0;
  // Code-unit order, not localeCompare: the winner must not depend on the machine's locale.
  return left.pattern < right.pattern ? -1 : 1;
}
