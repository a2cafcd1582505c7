import { type Account, credentialSecrets } from '../core/account.js';
import { scrubJsonValue, scrubSecrets } from '../core/scrub-secrets.js';
import type { AuthorizedCredential } from '../providers/provider-adapter.js';
import type { FailedAttempt } from './attempt.js';

/**
 * A failed attempt with every credential taken out of what the upstream said: the account's own
 * key or tokens (and the credential sent) verbatim, and anything shaped like a key or bearer token.
 * Applied as soon as an attempt fails, so the client error, the lock message, the log line and the
 * request log all see the scrubbed body.
 */
export function scrubFailure(
  outcome: FailedAttempt,
  secrets: { account: Account; credential?: AuthorizedCredential | undefined },
): FailedAttempt {
  const known = credentialSecrets(secrets.account.credential);
  if (secrets.credential) known.push(secrets.credential.value);
  return {
    ...outcome,
    body: scrubJsonValue(outcome.body, known),
    message: scrubSecrets(outcome.message, known),
  };
}
