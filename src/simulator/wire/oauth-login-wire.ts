/**
 * The sign-in half of the mock OAuth server: `GET /oauth/authorize` consents at once and redirects
 * to `redirect_uri` with a code and the state; the code carries (base64url JSON) the email, the
 * PKCE challenge and the redirect URI, so the token endpoint can check the exchange without server
 * state; `GET /oauth/userinfo` names the account an access token was issued for.
 */
import { createHash } from 'node:crypto';
import { isJsonObject } from '../../core/json.js';
import type { UpstreamError } from './behaviours.js';
import type { JsonReply, WireContext } from './reply.js';
import { jsonReply } from './reply.js';

const CODE_PREFIX = 'mc.';
const DEFAULT_EMAIL = 'mock-user@example.com';

/** What a mock authorization code stands for. */
export interface MockLogin {
  email: string;
  /** PKCE S256 challenge sent with the authorization request, when there was one. */
  challenge: string | null;
  redirectUri: string;
  idToken: boolean;
}

function oauthError(status: number, error: string, description: string): JsonReply {
  return { kind: 'json', status, headers: {}, body: { error, error_description: description } };
}

function redirect(target: string, params: Record<string, string>): JsonReply {
  const url = new URL(target);
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  return { kind: 'json', status: 302, headers: { location: url.toString() }, body: null };
}

/** The login a code stands for, or null for a code the mock did not issue. */
export function decodeMockCode(code: string): MockLogin | null {
  if (!code.startsWith(CODE_PREFIX)) return null;
  try {
    const value: unknown = JSON.parse(
      Buffer.from(code.slice(CODE_PREFIX.length), 'base64url').toString('utf8'),
    );
    if (
      !isJsonObject(value) ||
      typeof value['email'] !== 'string' ||
      typeof value['redirectUri'] !== 'string'
    )
      return null;
    return {
      email: value['email'],
      challenge: typeof value['challenge'] === 'string' ? value['challenge'] : null,
      redirectUri: value['redirectUri'],
      idToken: value['idToken'] !== false,
    };
  } catch {
    return null;
  }
}

/** `GET /oauth/authorize`: consent granted at once (`ok`), refused for error behaviours. */
export function authorize(context: WireContext, failure: UpstreamError | null): JsonReply {
  const redirectUri = context.query.get('redirect_uri');
  const state = context.query.get('state') ?? '';
  if (!redirectUri || !URL.canParse(redirectUri) || !context.query.get('client_id')) {
    return oauthError(400, 'invalid_request', 'client_id and an absolute redirect_uri are required');
  }
  if (failure !== null) return redirect(redirectUri, { error: 'access_denied', state });
  const method = context.query.get('code_challenge_method');
  if (context.query.get('code_challenge') && method !== 'S256') {
    return oauthError(400, 'invalid_request', 'code_challenge_method must be S256');
  }
  const login = context.behaviour.login ?? {};
  const payload = {
    email: login.email ?? DEFAULT_EMAIL,
    challenge: context.query.get('code_challenge'),
    redirectUri,
    idToken: login.idToken !== false,
    n: context.sequence,
  };
  const code = CODE_PREFIX + Buffer.from(JSON.stringify(payload)).toString('base64url');
  return redirect(redirectUri, { code, state, scope: context.query.get('scope') ?? '' });
}

/**
 * Checks an authorization-code exchange against the code's login: the PKCE verifier and the
 * redirect URI must match. Returns the refusal, or null when the exchange is fine.
 */
export function checkExchange(login: MockLogin, body: unknown): JsonReply | null {
  const field = (name: string) => (isJsonObject(body) && typeof body[name] === 'string' ? body[name] : null);
  if (field('redirect_uri') !== login.redirectUri) {
    return oauthError(400, 'invalid_grant', 'redirect_uri does not match the authorization request');
  }
  const verifier = field('code_verifier');
  if (login.challenge !== null) {
    const computed = verifier === null ? null : createHash('sha256').update(verifier).digest('base64url');
    if (computed !== login.challenge) return oauthError(400, 'invalid_grant', 'PKCE verification failed');
  }
  return null;
}

/** An unsigned id_token (`alg: none`) naming the email. */
export function mockIdToken(email: string): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${encode({ alg: 'none', typ: 'JWT' })}.${encode({ email, email_verified: true, sub: email })}.`;
}

/** `GET /oauth/userinfo`: the email of the login whose code the access token came from. */
export function userinfo(context: WireContext): JsonReply {
  const code = /^at-(mc\.[A-Za-z0-9_-]+)-\d+$/.exec(context.key ?? '')?.[1];
  const login = code ? decodeMockCode(code) : null;
  if (!context.key) return oauthError(401, 'invalid_token', 'missing bearer token');
  return jsonReply({ email: login?.email ?? DEFAULT_EMAIL, verified_email: true });
}
