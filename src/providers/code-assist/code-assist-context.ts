import { DEFAULT_CODE_ASSIST_BASE_URLS } from '../../config/schema.js';
import type { Account } from '../../core/account.js';
import { isJsonObject } from '../../core/json.js';

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

/**
 * What the `code-assist` adapter needs beyond the account: the configured endpoints and the
 * projects discovered while a request was already under way (the gateway hands the adapter the
 * account as it was when the request picked it). The provider registry is static, so there is one
 * per process: `codeAssistContext`; the composition root configures it from `code_assist.*`.
 */
export class CodeAssistContext {
  private baseUrls: readonly string[] = [...DEFAULT_CODE_ASSIST_BASE_URLS];
  private readonly projects = new Map<string, string>();

  /** Sets the `v1internal` base URLs tried in order (config `code_assist.base_urls`). */
  configure(settings: { baseUrls: readonly string[] }): void {
    if (settings.baseUrls.length > 0) this.baseUrls = settings.baseUrls.map((url) => url.replace(/\/+$/, ''));
  }

  /**
   * The `v1internal` bases for the account, in order: its own base URL (the API origin, e.g.
   * `https://cloudcode-pa.googleapis.com`) alone when set, else the configured list.
   */
  endpointsFor(account: Pick<Account, 'baseUrl'>): string[] {
    if (account.baseUrl) return [`${account.baseUrl.replace(/\/+$/, '')}/v1internal`];
    return [...this.baseUrls];
  }

  /** The account's project: stored in its extras, or discovered since it was read. */
  projectOf(account: Pick<Account, 'id' | 'extra'>): string | null {
    return codeAssistExtra(account).projectId ?? this.projects.get(account.id) ?? null;
  }

  rememberProject(accountId: string, projectId: string): void {
    this.projects.set(accountId, projectId);
  }
}

export const codeAssistContext = new CodeAssistContext();
