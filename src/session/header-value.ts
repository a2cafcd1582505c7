/** Request or response headers as Node and Fastify hand them over. */
export type HeaderBag = Record<string, string | string[] | undefined>;

/**
 * The value of header `name`, looked up case-insensitively (HTTP header names are), trimmed.
 * A repeated header yields its first non-empty value. Missing or blank → undefined.
 */
export function headerValue(headers: HeaderBag, name: string): string | undefined {
  const wanted = name.toLowerCase();
  const direct = firstNonEmpty(headers[wanted]);
  if (direct !== undefined) return direct;
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === wanted) {
      const found = firstNonEmpty(value);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

function firstNonEmpty(value: unknown): string | undefined {
  const values = Array.isArray(value) ? value : [value];
  for (const candidate of values) {
    if (typeof candidate !== 'string') continue;
    const trimmed = candidate.trim();
    if (trimmed !== '') return trimmed;
  }
  return undefined;
}
