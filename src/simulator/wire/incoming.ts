/** Reading one request: body, credential and the endpoint (route) it hit. */
import type { IncomingMessage } from 'node:http';
import { isJsonObject } from '../../core/json.js';
import { type PromptSummary, summarizePrompt } from './prompt.js';
import type { Framing, Route, UpstreamProtocol } from './reply.js';

/** A request as read off the socket. */
export interface Incoming {
  method: string;
  /** Path with query string. */
  path: string;
  pathname: string;
  query: URLSearchParams;
  /** Lower-case names; repeated headers joined with `, `. */
  headers: Record<string, string>;
  /** Parsed JSON, form fields as an object, the raw text, or null when empty. */
  body: unknown;
  /** The body exactly as received (UTF-8), '' when empty. */
  rawBody: string;
}

function parseBody(raw: string, contentType: string): unknown {
  if (raw.length === 0) return null;
  if (contentType.includes('application/x-www-form-urlencoded')) {
    return Object.fromEntries(new URLSearchParams(raw));
  }
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

/** Reads the whole request. */
export async function readIncoming(request: IncomingMessage): Promise<Incoming> {
  const pieces: Buffer[] = [];
  for await (const piece of request) pieces.push(piece as Buffer);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  const path = request.url ?? '/';
  const url = new URL(path, 'http://mock.invalid');
  const rawBody = Buffer.concat(pieces).toString('utf8');
  const body = parseBody(rawBody, headers['content-type'] ?? '');
  return {
    method: request.method ?? 'GET',
    path,
    pathname: url.pathname,
    query: url.searchParams,
    headers,
    body,
    rawBody,
  };
}

/**
 * The credential a request carries: the OAuth refresh token (or authorization code) at the token
 * endpoint, the `client_id` at the authorization endpoint; elsewhere (userinfo included)
 * `Authorization: Bearer`, `x-api-key`, `x-goog-api-key`, then `?key=`.
 */
export function credentialOf(
  incoming: Incoming,
  route: Pick<Route, 'protocol' | 'operation'>,
): string | null {
  if (route.operation === 'authorize') return incoming.query.get('client_id');
  if (route.operation === 'token') {
    if (!isJsonObject(incoming.body)) return null;
    const token = incoming.body['refresh_token'] ?? incoming.body['code'];
    return typeof token === 'string' ? token : null;
  }
  const bearer = /^Bearer\s+(.+)$/i.exec(incoming.headers['authorization'] ?? '')?.[1];
  return (
    bearer ?? incoming.headers['x-api-key'] ?? incoming.headers['x-goog-api-key'] ?? incoming.query.get('key')
  );
}

function streamRequested(body: unknown): boolean {
  return isJsonObject(body) && body['stream'] === true;
}

function route(protocol: UpstreamProtocol, operation: Route['operation'], extra: Partial<Route> = {}): Route {
  return { protocol, operation, pathModel: null, stream: false, framing: 'sse', ...extra };
}

type Operations = Record<string, Route['operation'] | undefined>;

const GEMINI_METHODS: Operations = {
  generateContent: 'generate',
  streamGenerateContent: 'generate',
  countTokens: 'count-tokens',
};

const CODE_ASSIST_METHODS: Operations = {
  ...GEMINI_METHODS,
  loadCodeAssist: 'load-code-assist',
  fetchAvailableModels: 'fetch-available-models',
  onboardUser: 'onboard-user',
};

// Google streams are SSE with `?alt=sse`, otherwise one JSON array written element by element.
function googleRoute(
  protocol: UpstreamProtocol,
  methods: Operations,
  incoming: Incoming,
  method: string,
): Route | null {
  const operation = methods[method];
  if (operation === undefined) return null;
  const framing: Framing = incoming.query.get('alt') === 'sse' ? 'sse-crlf' : 'json-array';
  return route(protocol, operation, { stream: method === 'streamGenerateContent', framing });
}

/** The endpoint a request hit, or null for an unknown path. */
export function resolveRoute(incoming: Incoming): Route | null {
  const { method, pathname, headers } = incoming;
  if (method === 'POST' && pathname === '/v1/chat/completions') {
    return route('openai', 'generate', { stream: streamRequested(incoming.body) });
  }
  if (method === 'GET' && pathname === '/v1/models') {
    const anthropic = headers['x-api-key'] !== undefined || headers['anthropic-version'] !== undefined;
    return route(anthropic ? 'anthropic' : 'openai', 'list-models');
  }
  if (method === 'POST' && pathname === '/v1/messages') {
    return route('anthropic', 'generate', { stream: streamRequested(incoming.body) });
  }
  if (method === 'POST' && pathname === '/v1/messages/count_tokens')
    return route('anthropic', 'count-tokens');
  if (method === 'GET' && pathname === '/v1beta/models') return route('gemini', 'list-models');
  const gemini = /^\/v1beta\/models\/([^/:]+):(\w+)$/.exec(pathname);
  if (method === 'POST' && gemini) {
    const resolved = googleRoute('gemini', GEMINI_METHODS, incoming, gemini[2] ?? '');
    return resolved && { ...resolved, pathModel: decodeURIComponent(gemini[1] ?? '') };
  }
  const codeAssist = /^\/v1internal:(\w+)$/.exec(pathname);
  if (method === 'POST' && codeAssist) {
    return googleRoute('code-assist', CODE_ASSIST_METHODS, incoming, codeAssist[1] ?? '');
  }
  if (method === 'GET' && /^\/v1internal\/operations\/[\w.-]+$/.test(pathname))
    return route('code-assist', 'get-operation');
  if (method === 'POST' && (pathname === '/oauth/token' || pathname === '/token'))
    return route('oauth', 'token');
  if (method === 'GET' && pathname === '/oauth/authorize') return route('oauth', 'authorize');
  if (method === 'GET' && pathname === '/oauth/userinfo') return route('oauth', 'userinfo');
  return null;
}

const EMPTY_PROMPT: PromptSummary = { model: null, lastUserText: '', segments: [], cacheableSegments: 0 };

/** The prompt of a generation or token-count request, unwrapped from Code Assist and countTokens envelopes. */
export function promptOf(route: Route, body: unknown): PromptSummary {
  if (route.operation !== 'generate' && route.operation !== 'count-tokens') return EMPTY_PROMPT;
  if (route.protocol === 'openai' || route.protocol === 'anthropic')
    return summarizePrompt(route.protocol, body);
  const outer = isJsonObject(body) ? body : {};
  const inner =
    route.protocol === 'code-assist' ? outer['request'] : (outer['generateContentRequest'] ?? outer);
  const summary = summarizePrompt('gemini', inner);
  const model = typeof outer['model'] === 'string' ? outer['model'] : summary.model;
  return { ...summary, model };
}
