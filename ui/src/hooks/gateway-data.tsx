/**
 * The gateway state every page shows — status, accounts, live locks, config, fixed account — polled
 * every few seconds (not while the tab is hidden) and reloaded at once after each change.
 */
import {
  createContext,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import { api } from '../api/api-client.js';
import { errorMessage } from '../api/api-error.js';
import type {
  AccountView,
  FixedAccountState,
  ProxyStatus,
  RateLimitView,
  SwitchyardConfig,
} from '../api/types.js';
import { browserClock } from '../lib/browser-clock.js';

export interface GatewayData {
  status: ProxyStatus | null;
  accounts: AccountView[];
  rateLimits: RateLimitView[];
  config: SwitchyardConfig | null;
  fixed: FixedAccountState | null;
  /** Why the last load failed, or null. */
  error: string | null;
  /** Reloads everything now. */
  refresh(): Promise<void>;
}

const POLL_MS = 3000;

const GatewayDataContext = createContext<GatewayData | null>(null);

type Snapshot = Omit<GatewayData, 'refresh'>;

const EMPTY: Snapshot = {
  status: null,
  accounts: [],
  rateLimits: [],
  config: null,
  fixed: null,
  error: null,
};

async function loadSnapshot(): Promise<Snapshot> {
  const [status, accounts, rateLimits, config, fixed] = await Promise.all([
    api.status(),
    api.listAccounts(),
    api.rateLimits(),
    api.config(),
    api.fixedAccount(),
  ]);
  return { status, accounts, rateLimits, config, fixed, error: null };
}

export function GatewayDataProvider({ children }: { children: ReactNode }) {
  const [snapshot, setSnapshot] = useState<Snapshot>(EMPTY);
  // Answers can arrive out of order; only the newest load may win.
  const generation = useRef(0);
  const refresh = useCallback(async () => {
    const mine = ++generation.current;
    try {
      const next = await loadSnapshot();
      if (mine === generation.current) setSnapshot(next);
    } catch (error) {
      if (mine === generation.current) setSnapshot((current) => ({ ...current, error: errorMessage(error) }));
    }
  }, []);
  useEffect(() => {
    void refresh();
    return browserClock.every(POLL_MS, () => {
      if (!document.hidden) void refresh();
    });
  }, [refresh]);
  const value = useMemo(() => ({ ...snapshot, refresh }), [snapshot, refresh]);
  return <GatewayDataContext.Provider value={value}>{children}</GatewayDataContext.Provider>;
}

export function useGatewayData(): GatewayData {
  const data = useContext(GatewayDataContext);
  if (!data) throw new Error('useGatewayData needs a GatewayDataProvider');
  return data;
}
