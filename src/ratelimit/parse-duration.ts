/** A protobuf `Duration` as Google serialises it in some error payloads. */
export interface DurationObject {
  seconds?: number | string;
  nanos?: number | string;
}

const UNIT_MS: Record<string, number> = {
  h: 3_600_000,
  m: 60_000,
  s: 1_000,
  ms: 1,
  us: 0.001,
  µs: 0.001,
  ns: 0.000_001,
};

// Longer units first so `ms` is not read as `m` followed by junk.
const TOKEN_SOURCE = String.raw`(\d+(?:\.\d+)?|\.\d+)\s*(ms|us|µs|ns|h|m|s)\s*`;

/**
 * A positive duration in milliseconds (fractions rounded up), from:
 * - a Go/protobuf duration string: one or more `<number><unit>` with units h, m, s, ms, us, µs, ns
 *   (`"1.5s"`, `"3h2m1.5s"`, `"500ms"`, `"6m0s"`, `"9365.870204634s"`);
 * - a `{seconds, nanos}` object (seconds may be a string, as protobuf JSON writes int64).
 * Returns null for anything else, for a bare number (its unit is unknown), and for zero.
 */
export function parseDuration(text: string | DurationObject): number | null {
  const milliseconds = typeof text === 'string' ? parseDurationString(text) : parseDurationObject(text);
  if (milliseconds === null || !Number.isFinite(milliseconds) || milliseconds <= 0) return null;
  return ceilMilliseconds(milliseconds);
}

/**
 * Rounds a millisecond amount up to a whole millisecond, ignoring binary floating-point noise:
 * `2.007 * 1000` is 2006.9999999999998 and must give 2007, not 2008 after a naive ceil.
 */
export function ceilMilliseconds(milliseconds: number): number {
  return Math.ceil(Math.round(milliseconds * 1000) / 1000);
}

function parseDurationString(text: string): number | null {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  const token = new RegExp(TOKEN_SOURCE, 'y');
  let total = 0;
  while (token.lastIndex < trimmed.length) {
    const match = token.exec(trimmed);
    if (match === null) return null;
    const [, amount = '', unit = ''] = match;
    const unitMs = UNIT_MS[unit];
    if (unitMs === undefined) return null;
    total += Number(amount) * unitMs;
  }
  return total;
}

function parseDurationObject(value: unknown): number | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const { seconds, nanos } = value as Record<string, unknown>;
  if (seconds === undefined && nanos === undefined) return null;
  const secondsValue = numeric(seconds ?? 0);
  const nanosValue = numeric(nanos ?? 0);
  if (secondsValue === null || nanosValue === null || secondsValue < 0 || nanosValue < 0) return null;
  return secondsValue * 1000 + nanosValue / 1_000_000;
}

function numeric(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' && /^\s*\d+(?:\.\d+)?\s*$/.test(value)) return Number(value);
  return null;
}
