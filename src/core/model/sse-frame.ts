/**
 * One server-sent event as wire text: an optional `event:` line, one `data:` line, a blank line.
 * `data` objects are JSON-encoded (JSON text never contains raw newlines, so one line suffices).
 */
export function sseFrame(data: string | object, event?: string): string {
  const payload = typeof data === 'string' ? data : JSON.stringify(data);
  return event === undefined ? `data: ${payload}\n\n` : `event: ${event}\ndata: ${payload}\n\n`;
}
