/** Request or response headers as Node, Fastify and undici hand them over. */
export type HeaderBag = Record<string, string | string[] | undefined>;

/**
 * The value of header `name`, looked up case-insensitively, trimmed; a repeated header yields its
 * first non-empty value. Missing or blank → undefined.
 */
export function headerValue(headers: HeaderBag, name: string): string | undefined {
  const wanted = name.toLowerCase();
  const direct = firstNonEmpty(headers[wanted]);
  if (direct !== undefined) return direct;
  // Node lower-cases the names it parses, so this walk is for other bags; and an absent header,
  // the common case, ends here: `for…in` looks without building an entries array per call, and
  // only names of the right length are lower-cased (each a new string; header names are ASCII
  // tokens, whose lower case has their length).
  for (const key in headers) {
    if (key.length !== wanted.length || key === wanted) continue;
    if (key.toLowerCase() !== wanted || !Object.hasOwn(headers, key)) continue;
    const found = firstNonEmpty(headers[key]);
    if (found !== undefined) return found;
  }
  return undefined;
}

function firstNonEmpty(value: unknown): string | undefined {
  if (!Array.isArray(value)) return nonEmpty(value);
  for (const candidate of value) {
    const found = nonEmpty(candidate);
    if (found !== undefined) return found;
  }
  return undefined;
}

function nonEmpty(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}
