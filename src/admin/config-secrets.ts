import type { SwitchyardConfig } from '../config/schema.js';
import { isJsonObject, type JsonObject } from '../core/json.js';

/**
 * Secrets in the config are write-only in the admin API. `GET` and `PUT /api/config` show each set
 * secret as `SECRET_MASK` — `proxy.admin_password`, every `oauth.clients.*.client_secret`, and the
 * password inside `proxy.upstream_proxy.url` — and an unset one as null. A `PUT` that sends the
 * mask back (the UI saving a form it read) leaves the stored secret unchanged; any other value
 * replaces it. `proxy.api_key` stays readable: clients need it, and the UI shows and copies it.
 */
export const SECRET_MASK = '********';

/** `scheme://user:password@` at the start of a URL: the password is group 2. */
const URL_PASSWORD = /^([A-Za-z][A-Za-z0-9+.-]*:\/\/[^:@/]*:)([^@/]*)(@)/;

/** The config as the admin API shows it: a copy with every secret masked. */
export function maskConfigSecrets(config: Readonly<SwitchyardConfig>): SwitchyardConfig {
  const shown = JSON.parse(JSON.stringify(config)) as SwitchyardConfig;
  if (shown.proxy.admin_password !== null) shown.proxy.admin_password = SECRET_MASK;
  for (const clients of Object.values(shown.oauth.clients)) {
    for (const client of clients) if (client.client_secret !== null) client.client_secret = SECRET_MASK;
  }
  const proxy = shown.proxy.upstream_proxy;
  proxy.url = proxy.url.replace(URL_PASSWORD, (match, start: string, password: string, end: string) =>
    password === '' ? match : `${start}${SECRET_MASK}${end}`,
  );
  return shown;
}

/**
 * `patch` (a `PUT /api/config` body) without the masks it sent back: a masked secret is dropped
 * from the patch, so the stored value stays; a masked password in the upstream proxy URL is
 * replaced by the stored one. The input is not changed.
 */
export function restoreMaskedSecrets(patch: JsonObject, current: Readonly<SwitchyardConfig>): JsonObject {
  const result = JSON.parse(JSON.stringify(patch)) as JsonObject;
  const proxy = result['proxy'];
  if (isJsonObject(proxy)) {
    if (proxy['admin_password'] === SECRET_MASK) delete proxy['admin_password'];
    const upstream = proxy['upstream_proxy'];
    if (isJsonObject(upstream) && typeof upstream['url'] === 'string') {
      upstream['url'] = restoreUrlPassword(upstream['url'], current.proxy.upstream_proxy.url);
    }
  }
  const oauth = result['oauth'];
  const clients = isJsonObject(oauth) ? oauth['clients'] : undefined;
  if (isJsonObject(clients)) {
    for (const [provider, sent] of Object.entries(clients)) {
      const stored = current.oauth.clients[provider as keyof typeof current.oauth.clients] ?? [];
      for (const client of Array.isArray(sent) ? sent : [sent]) restoreClientSecret(client, stored);
    }
  }
  return result;
}

/**
 * `oauth.clients` is replaced as a whole by a PUT, so a masked client secret takes the stored
 * secret of the client with the same `client_id`; a mask for a client not stored means no secret.
 */
function restoreClientSecret(
  client: unknown,
  stored: readonly { client_id: string; client_secret: string | null }[],
): void {
  if (!isJsonObject(client) || client['client_secret'] !== SECRET_MASK) return;
  const match = stored.find((entry) => entry.client_id === client['client_id']);
  if (match?.client_secret) client['client_secret'] = match.client_secret;
  else delete client['client_secret'];
}

function restoreUrlPassword(url: string, storedUrl: string): string {
  const sent = URL_PASSWORD.exec(url);
  if (sent?.[2] !== SECRET_MASK) return url;
  const stored = URL_PASSWORD.exec(storedUrl)?.[2] ?? '';
  return url.replace(
    URL_PASSWORD,
    (_match, start: string, _masked: string, end: string) => start + stored + end,
  );
}
