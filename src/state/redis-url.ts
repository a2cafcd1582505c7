/** The URL with its password replaced by `***`, for messages; `(not a URL)` when it is none. */
export function maskRedisUrl(url: string): string {
  if (!URL.canParse(url)) return '(not a URL)';
  const parsed = new URL(url);
  if (parsed.password !== '') parsed.password = '***';
  return parsed.toString().replace(/\/$/, '');
}
