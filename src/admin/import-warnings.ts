import { type OAuthClients, oauthClientKey } from '../providers/auth/oauth-clients.js';
import { OAUTH_PROVIDER_KINDS } from '../providers/provider-kinds.js';
import type { NewAccountInput } from '../store/account-patch.js';

function quoted(names: readonly string[]): string {
  return names.map((name) => `"${name}"`).join(', ');
}

/**
 * What imported OAuth accounts still need to work, one sentence per provider: a configured OAuth
 * client when the provider has none (and the accounts bring no client of their own) — with the
 * command that adds it and the client names the accounts were issued to — or, when clients are
 * configured, the client names (`oauth_client_key`) that none of them carries.
 */
export function importWarnings(inputs: readonly NewAccountInput[], clients: OAuthClients): string[] {
  const warnings: string[] = [];
  for (const provider of OAUTH_PROVIDER_KINDS) {
    const needing = inputs.filter(
      (input) =>
        input.provider === provider &&
        input.credential.type === 'oauth' &&
        input.credential.clientId === null,
    );
    if (needing.length === 0) continue;
    const keys = [...new Set(needing.flatMap((input) => oauthClientKey({ extra: input.extra ?? {} }) ?? []))];
    const configured = clients[provider] ?? [];
    const command = `switchyard oauth client add --provider ${provider} --client-id <id> --client-secret -`;
    if (configured.length === 0) {
      const named =
        keys.length === 0
          ? ''
          : ` Their tokens name the client(s) ${quoted(keys)} (add each with --name <that name>).`;
      warnings.push(
        `${needing.length} imported ${provider} account(s) cannot refresh their access tokens: no OAuth client is configured for ${provider}.${named} Add the client their tokens were issued to with: ${command}`,
      );
      continue;
    }
    const unknown = keys.filter((key) => !configured.some((client) => client.name === key));
    if (unknown.length > 0) {
      warnings.push(
        `Imported ${provider} accounts name the OAuth client(s) ${quoted(unknown)}, which no configured client has as its name: they try the configured clients in order. To match them, add each with: ${command} --name <that name>`,
      );
    }
  }
  return warnings;
}
