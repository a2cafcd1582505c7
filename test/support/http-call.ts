/** A small undici client for tests: one call, the whole answer read, JSON parsed when it is JSON. */
import { Readable } from 'node:stream';
import { request } from 'undici';

/** The answer of `httpCall`. */
export interface HttpExchange {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: unknown;
}

export interface HttpCallOptions {
  /** JSON-encoded as the body (POST by default). */
  body?: unknown;
  /** A form-encoded body, sent as is (POST by default). */
  form?: string;
  headers?: Record<string, string>;
  /** Default GET without a body, POST with one. */
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  signal?: AbortSignal;
}

/** Sends one request with undici and reads the whole answer. Rejects when the connection fails. */
export async function httpCall(url: string, options: HttpCallOptions = {}): Promise<HttpExchange> {
  const body = options.form ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  const contentType = options.form === undefined ? 'application/json' : 'application/x-www-form-urlencoded';
  const response = await request(url, {
    method: options.method ?? (body === undefined ? 'GET' : 'POST'),
    headers: { ...(body === undefined ? {} : { 'content-type': contentType }), ...options.headers },
    body,
    signal: options.signal,
  });
  const text = await response.body.text();
  return { status: response.statusCode, headers: response.headers, text, json: parseJson(text) };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The value at `path` inside a parsed payload, or undefined when any step is missing. */
export function pick(value: unknown, ...path: Array<string | number>): unknown {
  return path.reduce<unknown>(
    (current, step) =>
      typeof current === 'object' && current !== null ? Reflect.get(current, step) : undefined,
    value,
  );
}

export interface RawCallOptions {
  method: string;
  /** Sent exactly as given; undefined sends no body. */
  body: Buffer | undefined;
  /** Content-Type; null sends none. */
  contentType: string | null;
  /** Without Content-Length, as a chunked stream. */
  chunked?: boolean;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/**
 * Sends bytes exactly as given (invalid UTF-8, odd or missing content types, chunked bodies) and
 * reads the whole answer. Rejects when the connection fails.
 */
export async function rawCall(url: string, options: RawCallOptions): Promise<HttpExchange> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.contentType !== null) headers['content-type'] = options.contentType;
  const response = await request(url, {
    method: options.method as 'POST',
    headers,
    body: options.chunked && options.body ? Readable.from([options.body]) : options.body,
    signal: options.signal,
  });
  const text = await response.body.text();
  return { status: response.statusCode, headers: response.headers, text, json: parseJson(text) };
}
