/**
 * The Monitor's live request log: the newest stored entries first, then every finished request from
 * `GET /api/logs/stream` (server-sent events, `event: log`). While paused, new entries are held back
 * and shown on resume. Each time the stream opens (first time or after a reconnect) the stored
 * entries are fetched again, and once more `STORED_CATCH_UP_MS` later: a request that finished
 * before the stream was listening is then shown once the request log has stored it, so none go
 * missing however long the stream takes to connect.
 */

import { requestLogRecord } from '@contracts';
import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../../api/api-client.js';
import { errorMessage } from '../../api/api-error.js';
import type { RequestLogRecord } from '../../api/types.js';
import { browserClock } from '../../lib/browser-clock.js';
import { mergeLogs } from '../../lib/log-filter.js';

export const MAX_ENTRIES = 500;

/** Longer than the request log takes to store a finished request (its writes run every 0.1 s). */
const STORED_CATCH_UP_MS = 1500;

export type StreamState = 'connecting' | 'live' | 'reconnecting' | 'unavailable';

export interface LogStream {
  records: RequestLogRecord[];
  state: StreamState;
  /** Why the log cannot be shown, when `state` is `unavailable`. */
  problem: string | null;
  paused: boolean;
  /** Entries that arrived while paused. */
  held: number;
  /** Entries the server could not deliver because this page fell behind. */
  dropped: number;
  setPaused(paused: boolean): void;
  /** Empties the list shown (not the stored log). */
  clearShown(): void;
}

export function useLogStream(): LogStream {
  const [records, setRecords] = useState<RequestLogRecord[]>([]);
  const [state, setState] = useState<StreamState>('connecting');
  const [problem, setProblem] = useState<string | null>(null);
  const [paused, setPausedState] = useState(false);
  const [dropped, setDropped] = useState(0);
  const pausedRef = useRef(false);
  const held = useRef<RequestLogRecord[]>([]);
  const [heldCount, setHeldCount] = useState(0);

  const receive = useCallback((entries: RequestLogRecord[]) => {
    if (pausedRef.current) {
      held.current = [...entries, ...held.current].slice(0, MAX_ENTRIES);
      setHeldCount(held.current.length);
      return;
    }
    setRecords((current) => mergeLogs({ records: current, incoming: entries, limit: MAX_ENTRIES }));
  }, []);

  useEffect(() => {
    let closed = false;
    const loadStored = () =>
      api.logs({ limit: '200' }).then(
        (page) => !closed && receive(page.logs),
        (error: unknown) => {
          if (closed) return;
          setProblem(errorMessage(error));
          setState('unavailable');
        },
      );
    void loadStored();
    const source = new EventSource(api.logStreamUrl());
    let cancelCatchUp = () => {};
    source.onopen = () => {
      setState('live');
      void loadStored();
      cancelCatchUp();
      cancelCatchUp = browserClock.after(STORED_CATCH_UP_MS, () => void loadStored());
    };
    source.onerror = () => setState('reconnecting');
    source.addEventListener('log', (event) => {
      const parsed = requestLogRecord.safeParse(JSON.parse((event as MessageEvent<string>).data));
      if (parsed.success) receive([parsed.data]);
    });
    source.addEventListener('dropped', (event) => {
      const body = JSON.parse((event as MessageEvent<string>).data) as { dropped?: number };
      setDropped((count) => count + (body.dropped ?? 0));
    });
    return () => {
      closed = true;
      cancelCatchUp();
      source.close();
    };
  }, [receive]);

  const setPaused = useCallback((next: boolean) => {
    pausedRef.current = next;
    setPausedState(next);
    if (!next && held.current.length > 0) {
      const entries = held.current;
      held.current = [];
      setHeldCount(0);
      setRecords((current) => mergeLogs({ records: current, incoming: entries, limit: MAX_ENTRIES }));
    }
  }, []);

  const clearShown = useCallback(() => {
    held.current = [];
    setHeldCount(0);
    setRecords([]);
  }, []);

  return { records, state, problem, paused, held: heldCount, dropped, setPaused, clearShown };
}
