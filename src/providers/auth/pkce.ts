import { createHash } from 'node:crypto';

/** A PKCE pair (RFC 7636): the verifier kept by us, the S256 challenge sent with the authorization request. */
export interface Pkce {
  verifier: string;
  challenge: string;
}

/** The S256 challenge of a verifier: base64url(SHA-256(verifier)), without padding. */
export function pkceChallenge(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

/** A PKCE pair from a random verifier (hex is within the allowed alphabet; 64 characters fit 43–128). */
export function createPkce(randomVerifier: string): Pkce {
  return { verifier: randomVerifier, challenge: pkceChallenge(randomVerifier) };
}
