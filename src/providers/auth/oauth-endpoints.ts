/**
 * The HTTP side of OAuth 2 (RFC 6749): the token endpoint (refresh-token and authorization-code
 * grants) and the userinfo endpoint that names the signed-in account. Behind an interface so the
 * credential provider and the login flow can be tested without a server.
 */
import { z } from 'zod';
import { isJsonObject } from '../../core/json.js';
import type { CancelSignal, UpstreamClient } from '../upstream-client.js';

/** One request to a token endpoint. */
export interface TokenGrant {
  tokenUrl: string;
  clientId: string;
  clientSecret: string | null;
  /** `grant_type` and its parameters (`refresh_token`, or `code` + `redirect_uri` + `code_verifier`). */
  params: Record<string, string>;
}

/** A successful token answer. */
export interface TokenAnswer {
  accessToken: string;
  /** `expires_in`, seconds; null when the endpoint did not say. */
  expiresInSeconds: number | null;
  /** Present when the endpoint issues (or rotates) a refresh token. */
  refreshToken: string | null;
  /** OpenID Connect id_token, when the scopes asked for one. */
  idToken: string | null;
}

/** The token endpoint refused or could not be reached. Messages never contain tokens. */
export class TokenEndpointError extends Error {
  constructor(
    message: string,
    /** HTTP status; 0 when no answer arrived. */
    readonly status: number,
    /** The OAuth `error` code (`invalid_grant`, `invalid_client`, …), when the body had one. */
    readonly oauthError: string | null,
    /** The OAuth `error_description`, when given. */
    readonly description: string | null,
  ) {
    super(message);
    this.name = 'TokenEndpointError';
  }
}

export interface OAuthEndpoints {
  /**
   * Posts a grant to the token endpoint; throws `TokenEndpointError` on any failure. An aborted
   * `signal` abandons the request (it then fails as unreachable).
   */
  requestToken(grant: TokenGrant, options?: { signal?: CancelSignal }): Promise<TokenAnswer>;
  /** The `email` the userinfo endpoint reports for `accessToken`, or null when it reports none. */
  fetchUserEmail(userinfoUrl: string, accessToken: string): Promise<string | null>;
}

const tokenAnswerSchema = z.looseObject({
  access_token: z.string().min(1),
  expires_in: z.coerce.number().positive().optional(),
  refresh_token: z.string().min(1).optional(),
  id_token: z.string().min(1).optional(),
});

/** A token endpoint's JSON answer → `TokenAnswer`; null when it has no access token. */
export function parseTokenAnswer(json: unknown): TokenAnswer | null {
  const parsed = tokenAnswerSchema.safeParse(json);
  if (!parsed.success) return null;
  return {
    accessToken: parsed.data.access_token,
    expiresInSeconds: parsed.data.expires_in ?? null,
    refreshToken: parsed.data.refresh_token ?? null,
    idToken: parsed.data.id_token ?? null,
  };
}

function stringField(json: unknown, name: string): string | null {
  if (!isJsonObject(json)) return null;
  const value = json[name];
  return typeof value === 'string' && value !== '' ? value : null;
}

/** `{error, error_description}` of a refusal → `TokenEndpointError`. */
export function tokenError(status: number, json: unknown): TokenEndpointError {
  const code = stringField(json, 'error');
  const description = stringField(json, 'error_description');
  const detail = [code, description].filter(Boolean).join(': ') || 'no error details';
  return new TokenEndpointError(`token endpoint answered ${status} (${detail})`, status, code, description);
}

const TIMEOUT_MS = 30_000;

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** OAuth endpoints over HTTP through the upstream client (and so through the upstream proxy, if any). */
export function httpOAuthEndpoints(upstream: UpstreamClient): OAuthEndpoints {
  const send = async (request: Parameters<UpstreamClient['send']>[0], signal?: CancelSignal) => {
    const response = await upstream.send(request, {
      signal: signal ?? new AbortController().signal,
      headersTimeoutMs: TIMEOUT_MS,
      bodyTimeoutMs: TIMEOUT_MS,
    });
    return { status: response.status, json: parseJson(await response.body.text()) };
  };
  return {
    async requestToken(grant, options) {
      const form = new URLSearchParams({ ...grant.params, client_id: grant.clientId });
      if (grant.clientSecret !== null) form.set('client_secret', grant.clientSecret);
      let answer: { status: number; json: unknown };
      try {
        answer = await send(
          {
            url: grant.tokenUrl,
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
            body: form.toString(),
          },
          options?.signal,
        );
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new TokenEndpointError(`token endpoint unreachable: ${reason}`, 0, null, null);
      }
      if (answer.status >= 400) throw tokenError(answer.status, answer.json);
      const parsed = parseTokenAnswer(answer.json);
      if (!parsed)
        throw new TokenEndpointError('token endpoint answered without an access_token', 502, null, null);
      return parsed;
    },
    async fetchUserEmail(userinfoUrl, accessToken) {
      const answer = await send({
        url: userinfoUrl,
        method: 'GET',
        headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' },
      });
      return answer.status < 400 ? stringField(answer.json, 'email') : null;
    },
  };
}
