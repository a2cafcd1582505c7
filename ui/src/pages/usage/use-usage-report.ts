/** The `/api/usage` report for the chosen grouping and range, reloaded every 10 s so new usage shows up. */
import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../../api/api-client.js';
import { errorMessage } from '../../api/api-error.js';
import type { UsageReportView } from '../../api/types.js';
import { browserClock } from '../../lib/browser-clock.js';

const POLL_MS = 10_000;

export function useUsageReport(query: { by: string; since: string }): {
  report: UsageReportView | null;
  error: string | null;
  reload(): Promise<void>;
} {
  const [report, setReport] = useState<UsageReportView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const generation = useRef(0);
  const { by, since } = query;
  const reload = useCallback(async () => {
    const mine = ++generation.current;
    try {
      const loaded = await api.usage({ by, since });
      if (mine !== generation.current) return;
      setReport(loaded);
      setError(null);
    } catch (failure) {
      if (mine === generation.current) setError(errorMessage(failure));
    }
  }, [by, since]);
  useEffect(() => {
    void reload();
    return browserClock.every(POLL_MS, () => {
      if (!document.hidden) void reload();
    });
  }, [reload]);
  return { report, error, reload };
}
