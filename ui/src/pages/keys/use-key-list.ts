/** The client keys, polled every few seconds (not while the tab is hidden) and reloaded on demand. */
import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../../api/api-client.js';
import { errorMessage } from '../../api/api-error.js';
import type { PublicClientKey } from '../../api/types.js';
import { browserClock } from '../../lib/browser-clock.js';

const POLL_MS = 5000;

export interface KeyList {
  keys: PublicClientKey[] | null;
  error: string | null;
  reload(): Promise<void>;
}

export function useKeyList(): KeyList {
  const [keys, setKeys] = useState<PublicClientKey[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const generation = useRef(0);
  const reload = useCallback(async () => {
    const mine = ++generation.current;
    try {
      const loaded = await api.listKeys();
      if (mine !== generation.current) return;
      setKeys(loaded);
      setError(null);
    } catch (failure) {
      if (mine === generation.current) setError(errorMessage(failure));
    }
  }, []);
  useEffect(() => {
    void reload();
    return browserClock.every(POLL_MS, () => {
      if (!document.hidden) void reload();
    });
  }, [reload]);
  return { keys, error, reload };
}
