/** The account form's "models" field: ids or `*` wildcards separated by commas, spaces or new lines. */

/** The distinct model patterns in `text`, in order. */
export function parseModelList(text: string): string[] {
  return [...new Set(text.split(/[\s,]+/).filter((model) => model !== ''))];
}

export function formatModelList(models: readonly string[]): string {
  return models.join(', ');
}
