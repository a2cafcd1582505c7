/** What the sign-in paste box sends to `POST /api/accounts/oauth/complete`. */
import type { OAuthCompleteBody } from '../api/types.js';

/**
 * The completion body for what the user pasted: a whole redirect URL is sent as `redirect_url`
 * (it names its own sign-in by its `state`); a bare query (`code=…&state=…`) gives its code and
 * state; anything else is the code itself, for the sign-in `state` this page started. Null when
 * nothing usable was pasted.
 */
export function oauthCompletionBody(pasted: string, state: string): OAuthCompleteBody | null {
  const text = pasted.trim();
  if (text === '') return null;
  if (/^https?:\/\//i.test(text) && URL.canParse(text)) return { redirect_url: text };
  if (/(^|[?&])code=/.test(text)) {
    const query = new URLSearchParams(text.slice(text.indexOf('?') + 1));
    const code = query.get('code')?.trim();
    if (!code) return null;
    return { code, state: query.get('state')?.trim() || state };
  }
  return { code: text, state };
}
