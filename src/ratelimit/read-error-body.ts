import { isJsonObject } from '../core/json.js';

/** An upstream error body reduced to what the classification rules look at. */
export interface ErrorBody {
  /** The error object: `body.error` when it is an object (OpenAI, Anthropic, Google), else the body. */
  error: Record<string, unknown> | null;
  /** Google `error.details[]` entries that are objects (ErrorInfo, RetryInfo, QuotaFailure, Help…). */
  details: Record<string, unknown>[];
  /** The upstream's own message: `error.message`, a string `error`, or a plain-text body. */
  message: string | null;
  /** The whole body as text (JSON re-serialised), for URL search. */
  text: string;
  /** `text` lowercased, for the keyword rules. */
  lowerText: string;
}

/**
 * Reads an upstream error body of any shape without throwing: parsed JSON, a JSON string, plain
 * text or HTML. Google's streaming endpoints wrap the error in an array (`[{"error": …}]`), so the
 * first element of an array body is used.
 */
export function readErrorBody(body: unknown): ErrorBody {
  const parsed = typeof body === 'string' ? parseJsonText(body) : body;
  const root = Array.isArray(parsed) ? parsed.find(isJsonObject) : parsed;
  const text = typeof body === 'string' ? body : safeStringify(body);
  const error = isJsonObject(root) ? (isJsonObject(root['error']) ? root['error'] : root) : null;
  const details =
    error !== null && Array.isArray(error['details']) ? error['details'].filter(isJsonObject) : [];
  return { error, details, message: upstreamMessage(root, error, body), text, lowerText: text.toLowerCase() };
}

function upstreamMessage(root: unknown, error: Record<string, unknown> | null, body: unknown): string | null {
  if (error !== null && typeof error['message'] === 'string') return error['message'];
  if (isJsonObject(root) && typeof root['error'] === 'string') return root['error'];
  if (typeof body === 'string' && body.trim() !== '' && !looksLikeMarkup(body)) return body;
  return null;
}

function parseJsonText(text: string): unknown {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return text;
  try {
    return JSON.parse(trimmed) as unknown;
  } catch {
    return text;
  }
}

function safeStringify(value: unknown): string {
  if (value === undefined || value === null) return '';
  try {
    return JSON.stringify(value) ?? '';
  } catch {
    return '';
  }
}

// Proxies and load balancers answer with HTML pages; their markup is no use as a message.
function looksLikeMarkup(text: string): boolean {
  return text.trimStart().startsWith('<');
}

/** The ErrorInfo `reason` values of the details, in order. */
export function detailReasons(body: ErrorBody): string[] {
  const reasons: string[] = [];
  for (const detail of body.details) if (typeof detail['reason'] === 'string') reasons.push(detail['reason']);
  return reasons;
}

/** A string field of the error object, or null. */
export function errorField(body: ErrorBody, key: string): string | null {
  const value = body.error?.[key];
  return typeof value === 'string' ? value : null;
}
