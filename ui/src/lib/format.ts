/** Short, stable text for durations, ages, latencies and token counts shown in tables. */

/** `45s`, `4m 05s`, `2h 03m`, `3d 4h`; `now` at or below zero. Fractions round up (a lock of 0.2 s is `1s`). */
export function formatCountdown(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds <= 0) return 'now';
  const total = Math.ceil(seconds);
  const days = Math.floor(total / 86_400);
  const hours = Math.floor((total % 86_400) / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const rest = total % 60;
  if (days > 0) return `${days}d ${hours}h`;
  if (hours > 0) return `${hours}h ${pad(minutes)}m`;
  if (minutes > 0) return `${minutes}m ${pad(rest)}s`;
  return `${rest}s`;
}

/** Seconds from `now` until the ISO time or epoch ms `until` (negative once it has passed). */
export function secondsUntil(until: string | number, now: number): number {
  const time = typeof until === 'number' ? until : Date.parse(until);
  return (time - now) / 1000;
}

/** `just now`, `5 min ago`, `3 h ago`, `2 d ago`; `never` for null. Future times count as just now. */
export function formatTimeAgo(time: string | number | null, now: number): string {
  if (time === null) return 'never';
  const elapsed = -secondsUntil(time, now);
  if (!Number.isFinite(elapsed)) return 'unknown';
  if (elapsed < 45) return 'just now';
  if (elapsed < 3600) return `${Math.max(1, Math.round(elapsed / 60))} min ago`;
  if (elapsed < 86_400) return `${Math.round(elapsed / 3600)} h ago`;
  return `${Math.round(elapsed / 86_400)} d ago`;
}

/** `850 ms`, `1.2 s`, `12 s`. */
export function formatLatency(ms: number | null): string {
  if (ms === null) return '–';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.round(ms / 1000)} s`;
}

/** `950`, `1.2k`, `34k`, `1.5M`; `–` when unknown. */
export function formatTokens(count: number | null): string {
  if (count === null) return '–';
  if (count < 1000) return String(count);
  if (count < 10_000) return `${trimZero((count / 1000).toFixed(1))}k`;
  if (count < 1_000_000) return `${Math.round(count / 1000)}k`;
  return `${trimZero((count / 1_000_000).toFixed(1))}M`;
}

/** `HH:MM:SS` in the browser's time zone. */
export function formatClockTime(time: number): string {
  const date = new Date(time);
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

/** The first 8 characters after a `sid-` prefix, for narrow columns; `–` when there is none. */
export function shortSessionId(sessionId: string | null): string {
  if (!sessionId) return '–';
  const bare = sessionId.startsWith('sid-') ? sessionId.slice(4) : sessionId;
  return bare.length > 8 ? `${bare.slice(0, 8)}…` : bare;
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}

function trimZero(text: string): string {
  return text.endsWith('.0') ? text.slice(0, -2) : text;
}

/** Remaining quota as a whole percentage, 0..100. */
export function quotaPercent(quota: { remaining_fraction: number }): number {
  return Math.round(Math.min(1, Math.max(0, quota.remaining_fraction)) * 100);
}
