/**
 * The calendar windows of budgets and usage buckets, all in UTC so every instance and every time
 * zone agrees on when a day or a month starts: a day runs from 00:00:00.000 UTC to the next
 * midnight, a month from the 1st at 00:00 UTC to the 1st of the next month.
 */

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** Start of the UTC hour holding `time` (epoch ms). */
export function hourStart(time: number): number {
  return time - (((time % HOUR_MS) + HOUR_MS) % HOUR_MS);
}

/** Start of the UTC day holding `time`. */
export function dayStart(time: number): number {
  return time - (((time % DAY_MS) + DAY_MS) % DAY_MS);
}

/** Start of the next UTC day after `time`. */
export function nextDayStart(time: number): number {
  return dayStart(time) + DAY_MS;
}

/** Start of the UTC month holding `time`. */
export function monthStart(time: number): number {
  const date = new Date(time);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
}

/** Start of the next UTC month after `time`. */
export function nextMonthStart(time: number): number {
  const date = new Date(time);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
}

/**
 * A relative span such as `90m`, `24h`, `7d` or `4w` in milliseconds; null when `text` is not one.
 * Used by `--since` and `?since=`.
 */
export function parseSpan(text: string): number | null {
  const match = /^(\d{1,6})\s*(m|h|d|w)$/i.exec(text.trim());
  if (!match) return null;
  const amount = Number(match[1]);
  const unit = (match[2] ?? '').toLowerCase();
  const unitMs = unit === 'm' ? MINUTE_MS : unit === 'h' ? HOUR_MS : unit === 'd' ? DAY_MS : 7 * DAY_MS;
  return amount > 0 ? amount * unitMs : null;
}
