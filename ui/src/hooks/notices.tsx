/**
 * Short messages after an action: errors stay until dismissed, confirmations fade after a few
 * seconds. Rendered in a live region so screen readers announce them.
 */
import { createContext, type ReactNode, useCallback, useContext, useMemo, useState } from 'react';
import { errorMessage } from '../api/api-error.js';
import { browserClock } from '../lib/browser-clock.js';

interface Notice {
  id: number;
  kind: 'error' | 'success';
  text: string;
}

export interface Notify {
  error(error: unknown): void;
  success(text: string): void;
}

const NotifyContext = createContext<Notify>({ error: () => undefined, success: () => undefined });

const SUCCESS_MS = 4000;
let nextId = 1;

export function NoticeProvider({ children }: { children: ReactNode }) {
  const [notices, setNotices] = useState<Notice[]>([]);
  const dismiss = useCallback(
    (id: number) => setNotices((all) => all.filter((notice) => notice.id !== id)),
    [],
  );
  const notify = useMemo<Notify>(
    () => ({
      error: (error) =>
        setNotices((all) => [...all.slice(-3), { id: nextId++, kind: 'error', text: errorMessage(error) }]),
      success: (text) => {
        const id = nextId++;
        setNotices((all) => [...all.slice(-3), { id, kind: 'success', text }]);
        browserClock.after(SUCCESS_MS, () => dismiss(id));
      },
    }),
    [dismiss],
  );
  return (
    <NotifyContext.Provider value={notify}>
      {children}
      <div className="notices" aria-live="polite">
        {notices.map((notice) => (
          <div
            key={notice.id}
            className={`notice notice-${notice.kind}`}
            role={notice.kind === 'error' ? 'alert' : 'status'}
          >
            <span>{notice.text}</span>
            <button
              type="button"
              className="icon-button"
              aria-label="Dismiss"
              onClick={() => dismiss(notice.id)}
            >
              ×
            </button>
          </div>
        ))}
      </div>
    </NotifyContext.Provider>
  );
}

export function useNotify(): Notify {
  return useContext(NotifyContext);
}
