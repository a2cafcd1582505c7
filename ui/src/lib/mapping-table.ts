/**
 * Edits of the model router's `proxy.custom_mapping` (requested model, exact or `*` wildcard →
 * upstream model, or a fallback chain of models tried in order). In the table a chain is written
 * as its models separated by commas. The server replaces the whole record on update, so every edit produces a new
 * complete record; entries keep their order, and a renamed entry keeps its place.
 */

/** One model, or a fallback chain of models tried in order. */
export type MappingTarget = string | readonly string[];
export type ModelMapping = Readonly<Record<string, MappingTarget>>;

export interface MappingRow {
  from: string;
  /** The target as written in the table: a chain's models joined by `, `. */
  to: string;
}

/** A target as written in the table. */
export function targetText(target: MappingTarget): string {
  return typeof target === 'string' ? target : target.join(', ');
}

/** The target a table entry stands for: one model, or a chain when it names several. */
function parseTarget(text: string): MappingTarget {
  const models = text
    .split(',')
    .map((model) => model.trim())
    .filter((model) => model !== '');
  return models.length === 1 ? (models[0] ?? '') : models;
}

/** One change to the table: add (no `previousFrom`) or edit the entry that was `previousFrom`. */
export interface MappingEdit {
  previousFrom?: string | undefined;
  from: string;
  to: string;
}

export function mappingRows(mapping: ModelMapping): MappingRow[] {
  return Object.entries(mapping).map(([from, to]) => ({ from, to: targetText(to) }));
}

/** Why `edit` cannot be applied to `mapping`, or null when it can. */
export function validateMappingEdit(mapping: ModelMapping, edit: MappingEdit): string | null {
  const from = edit.from.trim();
  const to = edit.to.trim();
  if (from === '') return 'Enter the model name clients send (wildcards with * are allowed).';
  if (to === '') return 'Enter the model to send upstream.';
  if (to.includes('*')) return 'The target must be model names, without *.';
  if (to.split(',').some((model) => model.trim() === ''))
    return 'Separate the models of a fallback chain by single commas.';
  if (from !== edit.previousFrom && Object.hasOwn(mapping, from))
    return `There is already a rule for ${from}.`;
  if (edit.previousFrom !== undefined && !Object.hasOwn(mapping, edit.previousFrom))
    return `The rule for ${edit.previousFrom} no longer exists.`;
  return null;
}

/** The mapping with `edit` applied (names trimmed). Throws when `validateMappingEdit` would object. */
export function applyMappingEdit(mapping: ModelMapping, edit: MappingEdit): Record<string, MappingTarget> {
  const problem = validateMappingEdit(mapping, edit);
  if (problem !== null) throw new Error(problem);
  const from = edit.from.trim();
  const to = parseTarget(edit.to);
  if (edit.previousFrom === undefined) return { ...mapping, [from]: to };
  const result: Record<string, MappingTarget> = {};
  for (const [key, value] of Object.entries(mapping)) {
    if (key === edit.previousFrom) result[from] = to;
    else result[key] = value;
  }
  return result;
}

/** The mapping without the entry for `from`. */
export function removeMapping(mapping: ModelMapping, from: string): Record<string, MappingTarget> {
  const result: Record<string, MappingTarget> = {};
  for (const [key, value] of Object.entries(mapping)) if (key !== from) result[key] = value;
  return result;
}
