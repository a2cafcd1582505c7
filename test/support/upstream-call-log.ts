/**
 * Records, at the gateway's edge, every call it sends to one upstream origin and every window that
 * upstream announced in its answers, per credential — to check that no call goes into a window an
 * account had announced. Both come from undici's diagnostics channels (`undici:request:create`
 * when a call is dispatched, `undici:request:headers` when an answer's head arrives), in the one
 * order the process saw them, so the check is causal: a call dispatched before the announcing
 * answer arrived could not have known, and is not counted.
 *
 * Announced windows, read here independently of the gateway's own parsing:
 * - a 429's `Retry-After` (seconds): from the answer's arrival, that long;
 * - `x-ratelimit-remaining-requests: 0` with `x-ratelimit-reset-requests` (a duration such as
 *   `1s`, `1.5s`, `500ms`), or `anthropic-ratelimit-requests-remaining: 0` with
 *   `anthropic-ratelimit-requests-reset` (RFC 3339): until that reset.
 *
 * ```ts
 * const log = UpstreamCallLog.start(upstream.url);
 * // ... traffic through the gateway ...
 * log.stop();
 * expect(log.callsInsideAnnouncedWindows()).toEqual([]);
 * ```
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { systemClock } from '../../src/core/clock.js';

/** One call dispatched to the upstream. */
export interface LoggedCall {
  key: string;
  /** Epoch ms. */
  at: number;
  /** Position among all recorded events. */
  order: number;
}

/** A window an answer announced: the account refuses calls from `at` until `until`. */
export interface AnnouncedWindow {
  key: string;
  at: number;
  until: number;
  order: number;
  how: 'retry-after' | 'remaining-0';
}

interface UndiciRequest {
  origin?: string | URL;
  headers?: string[] | string;
}

const KEY_HEADERS = ['authorization', 'x-api-key', 'x-goog-api-key'];

function keyOf(request: UndiciRequest): string | null {
  const headers = Array.isArray(request.headers) ? request.headers : [];
  for (let index = 0; index + 1 < headers.length; index += 2) {
    const name = String(headers[index]).toLowerCase();
    if (KEY_HEADERS.includes(name)) return String(headers[index + 1]).replace(/^Bearer\s+/i, '');
  }
  return null;
}

function headerMap(raw: unknown[]): Map<string, string> {
  const map = new Map<string, string>();
  for (let index = 0; index + 1 < raw.length; index += 2)
    map.set(String(raw[index]).toLowerCase(), String(raw[index + 1]));
  return map;
}

/** `1.5s`, `500ms`, `1m2s` (what the simulator writes); null for anything else. */
function durationMs(text: string): number | null {
  const units: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1_000, ms: 1 };
  let total = 0;
  let rest = text.trim();
  while (rest !== '') {
    const match = /^(\d+(?:\.\d+)?)(ms|h|m|s)/.exec(rest);
    if (match === null) return null;
    total += Number(match[1]) * (units[match[2]!] ?? 0);
    rest = rest.slice(match[0].length);
  }
  return total;
}

/** How an answer announced a window, if it did: a 429's Retry-After first, else a requests count of 0. */
function announcement(status: number, headers: Map<string, string>): AnnouncedWindow['how'] | null {
  if (status === 429 && headers.has('retry-after')) return 'retry-after';
  const openai = headers.get('x-ratelimit-remaining-requests');
  const anthropic = headers.get('anthropic-ratelimit-requests-remaining');
  return openai === '0' || anthropic === '0' ? 'remaining-0' : null;
}

function windowEnd(how: AnnouncedWindow['how'], headers: Map<string, string>, at: number): number | null {
  if (how === 'retry-after') return at + Number(headers.get('retry-after')) * 1000;
  const openaiReset = headers.get('x-ratelimit-reset-requests');
  if (openaiReset !== undefined) {
    const ms = durationMs(openaiReset);
    return ms === null ? null : at + ms;
  }
  const anthropicReset = headers.get('anthropic-ratelimit-requests-reset');
  return anthropicReset === undefined ? null : Date.parse(anthropicReset);
}

export class UpstreamCallLog {
  readonly calls: LoggedCall[] = [];
  readonly windows: AnnouncedWindow[] = [];
  private order = 0;
  private readonly keys = new WeakMap<object, string>();

  private constructor(private readonly origin: string) {}

  /** Starts recording the calls to `url`'s origin and the answers they get. */
  static start(url: string): UpstreamCallLog {
    const log = new UpstreamCallLog(new URL(url).origin);
    subscribe('undici:request:create', log.onCreate);
    subscribe('undici:request:headers', log.onHeaders);
    return log;
  }

  stop(): void {
    unsubscribe('undici:request:create', this.onCreate);
    unsubscribe('undici:request:headers', this.onHeaders);
  }

  /** Calls dispatched after an account's announcing answer arrived, and before the window it announced ended. */
  callsInsideAnnouncedWindows(): { call: LoggedCall; window: AnnouncedWindow }[] {
    const inside: { call: LoggedCall; window: AnnouncedWindow }[] = [];
    for (const call of this.calls) {
      const window = this.windows.find(
        (candidate) =>
          candidate.key === call.key && candidate.order < call.order && call.at < candidate.until,
      );
      if (window !== undefined) inside.push({ call, window });
    }
    return inside;
  }

  private sameOrigin(request: UndiciRequest): boolean {
    return request.origin !== undefined && new URL(String(request.origin)).origin === this.origin;
  }

  private readonly onCreate = (message: unknown): void => {
    const { request } = message as { request: UndiciRequest };
    if (!this.sameOrigin(request)) return;
    const key = keyOf(request);
    if (key === null) return;
    this.keys.set(request, key);
    this.calls.push({ key, at: systemClock.now(), order: this.order++ });
  };

  private readonly onHeaders = (message: unknown): void => {
    const { request, response } = message as {
      request: UndiciRequest;
      response: { statusCode: number; headers: unknown[] };
    };
    const key = this.keys.get(request);
    if (key === undefined) return;
    const at = systemClock.now();
    const headers = headerMap(response.headers);
    const how = announcement(response.statusCode, headers);
    if (how === null) return;
    const until = windowEnd(how, headers, at);
    if (until !== null && until > at) this.windows.push({ key, at, until, order: this.order++, how });
  };
}
