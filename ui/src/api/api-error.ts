/** An admin API failure as the UI shows it: the server's `{error: {code, message}}`, or what went wrong on the way. */
export class ApiError extends Error {
  constructor(
    /** HTTP status; 0 when no answer arrived. */
    readonly status: number,
    /** The server's error code (`validation_failed`, `unauthorized`, …), or `network_error` / `bad_response`. */
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The ApiError for a non-2xx answer with body text `text`. */
export function apiErrorFrom(status: number, text: string): ApiError {
  const parsed = parseErrorBody(text);
  if (parsed) return new ApiError(status, parsed.code, parsed.message);
  const snippet = text.trim().slice(0, 200);
  return new ApiError(status, 'bad_response', `HTTP ${status}${snippet ? `: ${snippet}` : ''}`);
}

/** A message for anything thrown: the ApiError's message, else the error's own. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

function parseErrorBody(text: string): { code: string; message: string } | null {
  try {
    const body: unknown = JSON.parse(text);
    if (typeof body !== 'object' || body === null || !('error' in body)) return null;
    const error: unknown = body.error;
    if (typeof error !== 'object' || error === null) return null;
    const code = 'code' in error && typeof error.code === 'string' ? error.code : 'error';
    const message = 'message' in error && typeof error.message === 'string' ? error.message : null;
    return message === null ? null : { code, message };
  } catch {
    return null;
  }
}
