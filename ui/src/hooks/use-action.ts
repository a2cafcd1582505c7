/**
 * Runs a change against the gateway: marks it busy, reports failure (and optional success) as a
 * notice, then reloads the gateway data so the screen shows the server's state, not a guess.
 */
import { useCallback, useState } from 'react';
import { useGatewayData } from './gateway-data.js';
import { useNotify } from './notices.js';

export interface Action {
  busy: boolean;
  /** Resolves with the action's result, or undefined when it failed (the failure is shown). */
  run<T>(action: () => Promise<T>, success?: string | ((result: T) => string)): Promise<T | undefined>;
}

export function useAction(): Action {
  const notify = useNotify();
  const { refresh } = useGatewayData();
  const [busy, setBusy] = useState(false);
  const run = useCallback(
    async <T>(action: () => Promise<T>, success?: string | ((result: T) => string)) => {
      setBusy(true);
      try {
        const result = await action();
        if (success !== undefined) notify.success(typeof success === 'string' ? success : success(result));
        return result;
      } catch (error) {
        notify.error(error);
        return undefined;
      } finally {
        setBusy(false);
        await refresh();
      }
    },
    [notify, refresh],
  );
  return { busy, run };
}
