import { isJsonObject } from '../../core/json.js';

/**
 * The `email` claim of an OpenID Connect id_token, read without verifying the signature: the token
 * came straight from the token endpoint over TLS (OpenID Connect Core §3.1.3.7 allows that), and
 * the email only names the account. Null when absent, unreadable or marked unverified.
 */
export function emailFromIdToken(idToken: string | null): string | null {
  const payload = idToken?.split('.')[1];
  if (!payload) return null;
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (!isJsonObject(claims) || claims['email_verified'] === false) return null;
  const email = claims['email'];
  return typeof email === 'string' && email.includes('@') ? email : null;
}
