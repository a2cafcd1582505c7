/**
 * One OAuth sign-in from the add-account dialog: start it (the gateway answers with the
 * authorization URL), then wait for the browser to come back to the gateway's `/auth/callback`
 * (polling the sign-in's status) or for the user to paste the redirect URL or code.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../../api/api-client.js';
import { ApiError } from '../../api/api-error.js';
import type { OAuthCompleteResult, OAuthStartResult, ProviderKind } from '../../api/types.js';
import { useGatewayData } from '../../hooks/gateway-data.js';
import { useAction } from '../../hooks/use-action.js';
import { browserClock } from '../../lib/browser-clock.js';
import { oauthCompletionBody } from '../../lib/oauth-completion.js';

const POLL_MS = 1500;

export type SignInState =
  | { phase: 'idle' }
  | { phase: 'waiting'; started: OAuthStartResult }
  | { phase: 'failed'; message: string };

export interface OAuthSignIn {
  state: SignInState;
  /** A start or a pasted completion is on its way. */
  busy: boolean;
  start(provider: ProviderKind): Promise<void>;
  /** Completes the waiting sign-in with a pasted redirect URL or code. */
  complete(pasted: string): Promise<void>;
}

/** `onSignedIn` runs once per sign-in, whichever way (callback or paste) finished it first. */
export function useOAuthSignIn(onSignedIn: (result: OAuthCompleteResult) => void): OAuthSignIn {
  const [state, setState] = useState<SignInState>({ phase: 'idle' });
  const { busy, run } = useAction();
  const { refresh } = useGatewayData();
  const latest = useRef(onSignedIn);
  useEffect(() => {
    latest.current = onSignedIn;
  });
  const finished = useRef<string | null>(null);

  const signedIn = useCallback(
    (loginState: string, result: OAuthCompleteResult) => {
      if (finished.current === loginState) return;
      finished.current = loginState;
      setState({ phase: 'idle' });
      void refresh();
      latest.current(result);
    },
    [refresh],
  );

  const waitingFor = state.phase === 'waiting' ? state.started.state : null;
  useEffect(() => {
    if (waitingFor === null) return;
    let stopped = false;
    let polling = false;
    const poll = async () => {
      if (polling) return;
      polling = true;
      try {
        const status = await api.oauthStatus(waitingFor);
        if (stopped) return;
        if (status.status === 'completed' && status.account) {
          signedIn(waitingFor, { account: status.account, created: status.created ?? true });
        } else if (status.status === 'failed') {
          setState({
            phase: 'failed',
            message: `Sign-in failed (${status.error ?? 'no reason given'}). Start again.`,
          });
        }
      } catch (error) {
        if (!stopped && error instanceof ApiError && error.code === 'not_found') {
          setState({ phase: 'failed', message: 'This sign-in expired. Start again.' });
        }
        // Anything else (the gateway restarting, a network blip): the next poll asks again.
      } finally {
        polling = false;
      }
    };
    const stop = browserClock.every(POLL_MS, () => void poll());
    return () => {
      stopped = true;
      stop();
    };
  }, [waitingFor, signedIn]);

  const start = useCallback(
    async (provider: ProviderKind) => {
      const started = await run(() => api.startOAuth(provider));
      if (started) setState({ phase: 'waiting', started });
    },
    [run],
  );

  const complete = useCallback(
    async (pasted: string) => {
      if (waitingFor === null) return;
      const body = oauthCompletionBody(pasted, waitingFor);
      if (body === null) return;
      const result = await run(() => api.completeOAuth(body));
      if (result) signedIn(waitingFor, result);
    },
    [waitingFor, run, signedIn],
  );

  return { state, busy, start, complete };
}
