import { DEFAULT_CODE_ASSIST_BASE_URLS, DEFAULT_CODE_ASSIST_CLIENT_VERSION } from '../../config/schema.js';
import type { Account } from '../../core/account.js';
import { type Clock, systemClock } from '../../core/clock.js';
import { randomHex } from '../../core/ids.js';
import { isJsonObject } from '../../core/json.js';
import {
  type CodeAssistClientIdentity,
  codeAssistClientHeaders,
  codeAssistRequestId,
} from './code-assist-identity.js';

/** Key of the Code Assist extras in `Account.extra`. */
export const CODE_ASSIST_EXTRA_KEY = 'code-assist';

/** What Switchyard keeps about a Code Assist account in `extra['code-assist']`. */
export interface CodeAssistExtra {
  /** The Cloud project named in every request (`loadCodeAssist` → `cloudaicompanionProject`). */
  projectId?: string;
  /** The upstream's tier id or name, for display. */
  tierName?: string;
}

/** The account's Code Assist extras (empty when it has none). */
export function codeAssistExtra(account: Pick<Account, 'extra'>): CodeAssistExtra {
  const value = account.extra[CODE_ASSIST_EXTRA_KEY];
  if (!isJsonObject(value)) return {};
  const extra: CodeAssistExtra = {};
  if (typeof value['projectId'] === 'string' && value['projectId'] !== '')
    extra.projectId = value['projectId'];
  if (typeof value['tierName'] === 'string') extra.tierName = value['tierName'];
  return extra;
}

/** What the context is configured with; every field optional (unset fields keep their value). */
export interface CodeAssistSettings {
  /** `v1internal` base URLs tried in order (config `code_assist.base_urls`). */
  baseUrls?: readonly string[];
  /** The headers every `v1internal` call carries. */
  identity?: CodeAssistClientIdentity;
  /** Time for request ids. */
  clock?: Clock;
  /** `bytes` random bytes as hex, for request ids. */
  randomHex?: (bytes: number) => string;
}

/**
 * What the `code-assist` adapter needs beyond the account: the configured endpoints, the client
 * identity (headers, request ids) and the projects discovered while a request was already under
 * way (the gateway hands the adapter the account as it was when the request picked it). The
 * composition root makes one per gateway, hands it to the adapter through the provider registry and
 * to the project and quota services, and configures it from `code_assist.*` (again on each change).
 */
export class CodeAssistContext {
  private baseUrls: readonly string[] = [...DEFAULT_CODE_ASSIST_BASE_URLS];
  private readonly projects = new Map<string, string>();
  private identity: CodeAssistClientIdentity = {
    userAgent: `Antigravity/${DEFAULT_CODE_ASSIST_CLIENT_VERSION}`,
    clientName: 'antigravity',
    clientVersion: DEFAULT_CODE_ASSIST_CLIENT_VERSION,
    sessionUuid: '00000000-0000-4000-8000-000000000000',
  };
  private clock: Clock = systemClock;
  private randomHex: (bytes: number) => string = randomHex;

  /** Applies the given settings (config `code_assist.*`, the clock and random source). */
  configure(settings: CodeAssistSettings): void {
    if (settings.baseUrls && settings.baseUrls.length > 0)
      this.baseUrls = settings.baseUrls.map((url) => url.replace(/\/+$/, ''));
    if (settings.identity) this.identity = settings.identity;
    if (settings.clock) this.clock = settings.clock;
    if (settings.randomHex) this.randomHex = settings.randomHex;
  }

  /**
   * The `v1internal` bases for the account, in order: its own base URL (the API origin, e.g.
   * `https://cloudcode-pa.googleapis.com`) alone when set, else the configured list.
   */
  endpointsFor(account: Pick<Account, 'baseUrl'>): string[] {
    if (account.baseUrl) return [`${account.baseUrl.replace(/\/+$/, '')}/v1internal`];
    return [...this.baseUrls];
  }

  /** The headers of every `v1internal` call: JSON, the bearer token and the client identity. */
  headers(accessToken: string): Record<string, string> {
    return {
      'content-type': 'application/json',
      authorization: `Bearer ${accessToken}`,
      ...codeAssistClientHeaders(this.identity),
    };
  }

  /** A new envelope `requestId` (`agent/<epoch ms>/<8 hex>`). */
  newRequestId(): string {
    return codeAssistRequestId({ now: this.clock.now(), randomHex: this.randomHex(4) });
  }

  /** The account's project: stored in its extras, or discovered since it was read. */
  projectOf(account: Pick<Account, 'id' | 'extra'>): string | null {
    return codeAssistExtra(account).projectId ?? this.projects.get(account.id) ?? null;
  }

  rememberProject(accountId: string, projectId: string): void {
    this.projects.set(accountId, projectId);
  }
}
