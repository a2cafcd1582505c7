import type { RequestOutline } from './request-outline.js';

const WARMUP = 'Warmup';

/**
 * Whether a request is a client's warmup probe, which the gateway answers itself without calling
 * an upstream. Claude Code sends one (`Warmup`) for each of its agents when it starts. The last
 * message decides (never an earlier one: one old probe in a history must not capture the rest of a
 * conversation), when it is the user's and
 * - a text of it is exactly `Warmup` or starts with `Warmup` and a line break, or
 * - a tool result of it marked as an error starts with `Warmup`.
 * The reference also takes any text shorter than 100 characters that starts with `Warmup`; that
 * would answer a real question such as "Warmup exercises for runners?" with a canned reply, so a
 * text must be the bare word (or the word on its own first line) here.
 */
export function isWarmupProbe(outline: RequestOutline): boolean {
  const last = outline.last;
  if (last === null || last.role !== 'user') return false;
  if (last.texts.some(isWarmupText)) return true;
  return last.toolErrors.some((text) => text.trim().startsWith(WARMUP));
}

function isWarmupText(text: string): boolean {
  const trimmed = text.trim();
  return trimmed === WARMUP || /^Warmup\r?\n/.test(trimmed);
}
