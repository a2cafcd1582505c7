import type { Account } from '../../core/account.js';
import { isJsonObject } from '../../core/json.js';
import type { UpstreamClient } from '../upstream-client.js';
import type { CodeAssistContext } from './code-assist-context.js';

/** A `v1internal` account call failed. */
export class CodeAssistApiError extends Error {
  constructor(
    message: string,
    /** HTTP status; 0 when no endpoint answered. */
    readonly status: number,
  ) {
    super(message);
    this.name = 'CodeAssistApiError';
  }
}

/** The account endpoints of Cloud Code `v1internal`: discovery and quota, not generation. */
export interface CodeAssistApi {
  /** `:loadCodeAssist`: project and tier. Resolves the JSON answer; throws `CodeAssistApiError`. */
  loadCodeAssist(account: Account, accessToken: string): Promise<unknown>;
  /** `:fetchAvailableModels` for the project (or none): models and their quota. */
  fetchAvailableModels(account: Account, accessToken: string, project: string | null): Promise<unknown>;
  /**
   * `:onboardUser` with a tier id (`onboarding`): sets up the account's project. Resolves the
   * long-running operation as first answered (`{name, done, response?, error?}`).
   */
  onboardUser(account: Account, accessToken: string, tierId: string): Promise<unknown>;
  /** `GET <base>/<operation name>`: where a long-running operation stands. */
  getOperation(account: Account, accessToken: string, name: string): Promise<unknown>;
}

const TIMEOUT_MS = 30_000;

function errorMessage(json: unknown, text: string): string {
  const error = isJsonObject(json) ? json['error'] : null;
  const message = isJsonObject(error) ? error['message'] : null;
  return typeof message === 'string' ? message : text.slice(0, 200);
}

/**
 * The account endpoints over HTTP, through the same endpoint list (and fall-through) as the
 * adapter's generation requests.
 */
export function httpCodeAssistApi(options: {
  upstream: UpstreamClient;
  context: CodeAssistContext;
  /** `metadata.ideType` for `loadCodeAssist` (config `code_assist.ide_type`). */
  ideType: () => string;
}): CodeAssistApi {
  /** POSTs `body` to `<base>:<method>`, or GETs `<base>/<path>` without a body. */
  const call = async (request: {
    account: Account;
    accessToken: string;
    method: string;
    body?: unknown;
    path?: string;
  }) => {
    const [first, ...rest] = options.context.endpointsFor(request.account);
    const url = (base: string | undefined) =>
      request.path === undefined ? `${base}:${request.method}` : `${base}/${request.path}`;
    let status: number;
    let text: string;
    try {
      const response = await options.upstream.send(
        {
          url: url(first),
          fallbackUrls: rest.map(url),
          ...(request.path === undefined
            ? { method: 'POST' as const, body: JSON.stringify(request.body) }
            : { method: 'GET' as const }),
          headers: options.context.headers(request.accessToken),
        },
        { signal: new AbortController().signal, headersTimeoutMs: TIMEOUT_MS, bodyTimeoutMs: TIMEOUT_MS },
      );
      status = response.status;
      text = await response.body.text();
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new CodeAssistApiError(`${request.method} failed: ${reason}`, 0);
    }
    let json: unknown = null;
    try {
      json = JSON.parse(text);
    } catch {
      // an error page; reported below by status
    }
    if (status >= 400) {
      throw new CodeAssistApiError(
        `${request.method} answered ${status}: ${errorMessage(json, text)}`,
        status,
      );
    }
    return json;
  };
  const metadata = () => ({
    ideType: options.ideType(),
    platform: 'PLATFORM_UNSPECIFIED',
    pluginType: 'GEMINI',
  });
  return {
    loadCodeAssist: (account, accessToken) =>
      call({ account, accessToken, method: 'loadCodeAssist', body: { metadata: metadata() } }),
    fetchAvailableModels: (account, accessToken, project) =>
      call({ account, accessToken, method: 'fetchAvailableModels', body: project ? { project } : {} }),
    // No project in the request: the free tier gets a managed one (naming one there is refused).
    onboardUser: (account, accessToken, tierId) =>
      call({ account, accessToken, method: 'onboardUser', body: { tierId, metadata: metadata() } }),
    getOperation: (account, accessToken, name) =>
      call({ account, accessToken, method: 'getOperation', path: name.replace(/^\/+/, '') }),
  };
}
