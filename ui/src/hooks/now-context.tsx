/** One app-wide ticking clock, so every countdown on screen moves together off a single timer. */
import { createContext, type ReactNode, useContext, useEffect, useState } from 'react';
import { browserClock } from '../lib/browser-clock.js';

const NowContext = createContext<number>(0);

export function NowProvider({ children }: { children: ReactNode }) {
  const [now, setNow] = useState(() => browserClock.now());
  useEffect(() => browserClock.every(1000, () => setNow(browserClock.now())), []);
  return <NowContext.Provider value={now}>{children}</NowContext.Provider>;
}

/** The current time in epoch ms, updated every second. */
export function useNow(): number {
  return useContext(NowContext);
}
