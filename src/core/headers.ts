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
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== wanted) continue;
    const found = firstNonEmpty(value);
    if (found !== undefined) return found;
  }
  return undefined;
}

function firstNonEmpty(value: unknown): string | undefined {
  for (const candidate of Array.isArray(value) ? value : [value]) {
    if (typeof candidate !== 'string') continue;
    const trimmed = candidate.trim();
    if (trimmed !== '') return trimmed;
  }
  return undefined;
}
