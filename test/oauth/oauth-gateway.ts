/**
 * Shared set-up of the OAuth end-to-end tests: a gateway whose `code-assist` OAuth client and
 * Code Assist endpoints point at the mock upstream, and a Gemini SDK client for it.
 */
import { GoogleGenAI } from '@google/genai';
import type { PublicAccount } from '../../src/admin/account-contracts.js';
import { systemClock } from '../../src/core/clock.js';
import { type GatewayHarness, type HarnessAccount, startGateway } from '../support/gateway-harness.js';
import { pick } from '../support/http-call.js';
import type { MockUpstream } from '../support/mock-upstream.js';

export const CLIENT_ID = 'test-client.apps.example';

/** gui_config.json for a gateway whose OAuth and Code Assist traffic goes to `upstream`. */
export function oauthConfig(
  upstream: MockUpstream,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    // Background refreshes would add token and quota calls the tests count; they run on demand here.
    auto_refresh: false,
    oauth: {
      clients: {
        'code-assist': {
          client_id: CLIENT_ID,
          client_secret: 'test-secret',
          token_url: `${upstream.url}/oauth/token`,
          auth_url: `${upstream.url}/oauth/authorize`,
          userinfo_url: `${upstream.url}/oauth/userinfo`,
        },
      },
    },
    code_assist: { base_urls: [`${upstream.url}/v1internal`] },
    ...extra,
  };
}

/** A Code Assist OAuth account whose access token expired a while ago. */
export function expiredAccount(email: string, refreshToken: string): HarnessAccount {
  return {
    provider: 'code-assist',
    email,
    refresh_token: refreshToken,
    access_token: `stale-${refreshToken}`,
    expires_at: systemClock.now() - 60_000,
  };
}

export function startOAuthGateway(
  upstream: MockUpstream,
  options: { accounts?: HarnessAccount[]; config?: Record<string, unknown>; dataDir?: string } = {},
): Promise<GatewayHarness> {
  return startGateway({
    config: oauthConfig(upstream, options.config),
    accounts: options.accounts ?? [],
    ...(options.dataDir === undefined ? {} : { dataDir: options.dataDir }),
  });
}

export function geminiClient(gateway: GatewayHarness): GoogleGenAI {
  return new GoogleGenAI({ apiKey: gateway.apiKey, httpOptions: { baseUrl: gateway.url } });
}

/** The admin API's view of every account, by email. */
export async function accountsByEmail(gateway: GatewayHarness): Promise<Record<string, PublicAccount>> {
  const list = pick((await gateway.call('GET', '/api/accounts')).json, 'accounts') as PublicAccount[];
  return Object.fromEntries(list.map((account) => [account.email, account]));
}

/** A raw Gemini generateContent call through the gateway (status, headers, body). */
export function generate(gateway: GatewayHarness, text: string, model = 'gemini-2.5-pro') {
  return gateway.call('POST', `/v1beta/models/${model}:generateContent`, {
    body: { contents: [{ role: 'user', parts: [{ text }] }] },
    headers: { 'x-goog-api-key': gateway.apiKey },
  });
}
