/**
 * An OAuth 2 token endpoint (RFC 6749 §5): form-encoded `grant_type=refresh_token` or
 * `authorization_code` in, `{access_token, expires_in, token_type, refresh_token?}` or
 * `{error, error_description}` out. Requests are keyed by their refresh token (or code).
 */
import { isJsonObject } from '../../core/json.js';
import type { UpstreamError } from './behaviours.js';
import { authorize, checkExchange, decodeMockCode, mockIdToken, userinfo } from './oauth-login-wire.js';
import { retryHeaders } from './rate-limit-headers.js';
import type { JsonReply, Wire, WireContext } from './reply.js';
import { jsonReply } from './reply.js';

function oauthError(status: number, error: string, description: string): JsonReply {
  return { kind: 'json', status, headers: {}, body: { error, error_description: description } };
}

function field(body: unknown, name: string): string | null {
  if (!isJsonObject(body)) return null;
  const value = body[name];
  return typeof value === 'string' && value.length > 0 ? value : null;
}

function ok(context: WireContext): JsonReply {
  if (context.route.operation === 'authorize') return authorize(context, null);
  if (context.route.operation === 'userinfo') return userinfo(context);
  const grant = field(context.body, 'grant_type');
  const token = context.behaviour.token ?? {};
  const headers = { 'cache-control': 'no-store', ...context.behaviour.headers };
  const answer = (subject: string, refreshToken: string | undefined, idToken?: string) =>
    jsonReply(
      {
        access_token: token.accessToken ?? `at-${subject}-${context.callNumber}`,
        expires_in: token.expiresIn ?? 3599,
        token_type: 'Bearer',
        scope: 'openid email profile',
        ...(refreshToken === undefined ? {} : { refresh_token: refreshToken }),
        ...(idToken === undefined ? {} : { id_token: idToken }),
      },
      headers,
    );
  if (grant === 'refresh_token') {
    const refreshToken = field(context.body, 'refresh_token');
    if (refreshToken === null)
      return oauthError(400, 'invalid_request', 'Missing required parameter: refresh_token');
    if (token.issuedTo !== undefined && field(context.body, 'client_id') !== token.issuedTo)
      return oauthError(401, 'unauthorized_client', 'Unauthorized');
    return answer(refreshToken, token.refreshToken);
  }
  if (grant === 'authorization_code') {
    const code = field(context.body, 'code');
    if (code === null) return oauthError(400, 'invalid_request', 'Missing required parameter: code');
    // A code from the mock's own /oauth/authorize: check PKCE and redirect URI, name the account.
    const login = decodeMockCode(code);
    const refused = login && checkExchange(login, context.body);
    if (refused) return refused;
    const idToken = login?.idToken ? mockIdToken(login.email) : undefined;
    return answer(code, token.refreshToken ?? `rt-${code}`, idToken);
  }
  return oauthError(400, 'unsupported_grant_type', `Invalid grant_type: ${grant ?? ''}`);
}

function error(failure: UpstreamError, context: WireContext): JsonReply {
  if (context.route.operation === 'authorize') return authorize(context, failure);
  switch (failure.kind) {
    case 'invalid-grant':
      return oauthError(400, 'invalid_grant', failure.description ?? 'Token has been expired or revoked.');
    case 'rate-limited': {
      const reply = oauthError(429, 'rate_limit_exceeded', failure.message ?? 'Too many requests');
      return { ...reply, headers: retryHeaders(failure, context.now) };
    }
    case 'server-error':
      return oauthError(failure.status, 'server_error', failure.message ?? 'Internal error');
    case 'unauthorized':
      return oauthError(401, 'invalid_client', failure.message ?? 'Unauthorized');
    case 'forbidden':
      return oauthError(403, 'access_denied', failure.message ?? 'Forbidden');
  }
}

export const oauthWire: Wire = {
  ok,
  error,
  streamError(message) {
    const reply = oauthError(500, 'server_error', message ?? 'Internal error');
    return { event: { data: reply.body, content: false }, status: 500, body: reply.body };
  },
};
