/** The URL with its password replaced by `***`, for messages; the text as given when it is not a URL. */
export function describePostgresUrl(url: string): string {
  if (!URL.canParse(url)) return '(an invalid PostgreSQL URL)';
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}
