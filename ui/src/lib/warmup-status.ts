/** How the Monitor words one account and model of the scheduled warmup. */
import type { WarmupTargetView } from '../api/types.js';
import { formatCountdown, formatTimeAgo, secondsUntil } from './format.js';

/** The last warmup: `ok · 5 min ago`, `error · just now`, `never`. */
export function lastWarmupText(target: WarmupTargetView, now: number): string {
  if (target.last_result === null || target.last_at === null) return 'never';
  const result = target.last_result === 'elsewhere' ? 'by another instance' : target.last_result;
  return `${result} · ${formatTimeAgo(target.last_at, now)}`;
}

/** The next warmup: `in 4m 05s`, `now`, or why it waits (`when enabled again: account is disabled`). */
export function nextWarmupText(target: WarmupTargetView, now: number): string {
  if (target.state === 'due') return 'now';
  if (target.state === 'waiting') return `soon (${target.reason ?? 'after another warmup'})`;
  if (target.next_due_at === null) return `when usable again (${target.reason ?? 'skipped'})`;
  const wait = formatCountdown(secondsUntil(target.next_due_at, now));
  const when = wait === 'now' ? 'now' : `in ${wait}`;
  return target.state === 'skipped' ? `${when} (${target.reason ?? 'skipped'})` : when;
}

/** The badge class of the last result. */
export function lastWarmupTone(target: WarmupTargetView): 'ok' | 'error' | 'muted' {
  if (target.last_result === 'ok') return 'ok';
  if (target.last_result === 'error') return 'error';
  return 'muted';
}
