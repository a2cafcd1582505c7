import type { ErrorDialect } from '../core/client-protocol.js';
import { type FixedStatusCode, isSwitchyardError, SwitchyardError } from '../core/errors.js';

/**
 * The error shape for a path when no route decides it: requests that matched no route (404),
 * failed before routing (malformed URL, 414) or were refused before their route ran.
 */
export function dialectForPath(url: string): ErrorDialect {
  if (url.startsWith('/api/') || url.startsWith('/auth/')) return 'admin';
  if (url.startsWith('/v1beta/')) return 'gemini';
  if (url.startsWith('/v1/messages')) return 'anthropic';
  return 'openai';
}

export interface ErrorResponse {
  status: number;
  headers: Record<string, string>;
  body: Record<string, unknown>;
}

const ANTHROPIC_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  503: 'overloaded_error',
  529: 'overloaded_error',
};

const GOOGLE_STATUSES: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  408: 'DEADLINE_EXCEEDED',
  409: 'ALREADY_EXISTS',
  413: 'INVALID_ARGUMENT',
  414: 'INVALID_ARGUMENT',
  431: 'INVALID_ARGUMENT',
  429: 'RESOURCE_EXHAUSTED',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

function openAIType(status: number): string {
  if (status === 401) return 'authentication_error';
  if (status === 403) return 'permission_error';
  if (status === 404) return 'not_found_error';
  if (status === 429) return 'rate_limit_error';
  if (status < 500) return 'invalid_request_error';
  return 'api_error';
}

/** Renders any error in the shape clients of `dialect` understand. The single error encoder. */
export function renderError(error: SwitchyardError, dialect: ErrorDialect): ErrorResponse {
  const headers: Record<string, string> = {};
  if (error.retryAfterSeconds !== undefined) {
    headers['retry-after'] = String(Math.max(1, Math.ceil(error.retryAfterSeconds)));
  }
  const { status, message, code } = error;
  switch (dialect) {
    case 'openai':
      return { status, headers, body: { error: { message, type: openAIType(status), param: null, code } } };
    case 'anthropic':
      return {
        status,
        headers,
        body: {
          type: 'error',
          error: {
            type: ANTHROPIC_TYPES[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error'),
            message,
          },
        },
      };
    case 'gemini':
      return {
        status,
        headers,
        body: {
          error: {
            code: status,
            message,
            status: GOOGLE_STATUSES[status] ?? (status >= 500 ? 'INTERNAL' : 'FAILED_PRECONDITION'),
          },
        },
      };
    case 'admin':
      return {
        status,
        headers,
        body: { error: { code, message, ...(error.details ? { details: error.details } : {}) } },
      };
  }
}

interface FrameworkError {
  code?: string;
  statusCode?: number;
  message?: string;
}

const FRAMEWORK_CODES: Record<string, FixedStatusCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'invalid_json',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'invalid_request',
  FST_ERR_NOT_FOUND: 'not_found',
  FST_ERR_BAD_URL: 'invalid_request',
  FST_ERR_MAX_PARAM_LENGTH: 'uri_too_long',
};

/** Our wording for framework errors whose own message would be unclear or echo the whole URL. */
const FRAMEWORK_MESSAGES: Record<string, string> = {
  FST_ERR_BAD_URL: 'The URL is malformed: it holds an invalid percent-encoding (%XX) sequence',
  FST_ERR_MAX_PARAM_LENGTH: 'A path segment of the URL is too long',
};

/** Turns anything thrown on a route into a catalogue error; unknown errors become internal_error. */
export function toSwitchyardError(error: unknown): SwitchyardError {
  if (isSwitchyardError(error)) return error;
  const framework = (error ?? {}) as FrameworkError;
  const mapped = framework.code ? FRAMEWORK_CODES[framework.code] : undefined;
  if (mapped) {
    const message = FRAMEWORK_MESSAGES[framework.code ?? ''] ?? framework.message ?? mapped;
    return new SwitchyardError(mapped, message);
  }
  if (error instanceof SyntaxError || framework.statusCode === 400) {
    return new SwitchyardError(
      'invalid_json',
      `Request body is not valid JSON: ${framework.message ?? ''}`.trim(),
    );
  }
  return new SwitchyardError('internal_error', 'Internal error', { cause: error });
}
