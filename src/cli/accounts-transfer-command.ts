import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { importInputs } from '../admin/account-input.js';
import { importWarnings } from '../admin/import-warnings.js';
import { writeFileAtomic } from '../config/atomic-write.js';
import { parseConfigText } from '../config/parse-config-text.js';
import { systemClock } from '../core/clock.js';
import { SwitchyardError } from '../core/errors.js';
import { newApiKey } from '../core/ids.js';
import { type OAuthClients, oauthClientsFromConfig } from '../providers/auth/oauth-clients.js';
import { type ExportProtection, exportAccounts } from '../store/account-export.js';
import { toPublicAccount } from '../store/public-account.js';
import { type CommonFlags, print, withAccounts, withCommonOptions } from './accounts-command.js';
import { dataPaths, resolveDataDir } from './data-dir.js';
import { readImportDocument } from './read-import-document.js';

interface PassphraseFlags {
  passphraseFile?: string;
  passphraseStdin?: boolean;
}

interface ExportFlags extends CommonFlags, PassphraseFlags {
  out?: string;
  plain?: boolean;
}

/** The passphrase from `--passphrase-file` or standard input, without its final line break. */
async function readPassphrase(flags: PassphraseFlags): Promise<string | undefined> {
  if (flags.passphraseFile !== undefined && flags.passphraseStdin) {
    throw new SwitchyardError('validation_failed', 'give --passphrase-file or --passphrase-stdin, not both');
  }
  let text: string;
  if (flags.passphraseFile !== undefined) {
    try {
      text = await readFile(flags.passphraseFile, 'utf8');
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code ?? String(error);
      throw new SwitchyardError(
        'not_found',
        `Cannot read the passphrase file ${flags.passphraseFile}: ${reason}`,
      );
    }
  } else if (flags.passphraseStdin) {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    text = Buffer.concat(chunks).toString('utf8');
  } else {
    return undefined;
  }
  return text.replace(/\r?\n$/, '');
}

/** The OAuth clients of the data directory's gui_config.json, read without writing it (none when absent or invalid). */
async function configuredClients(dataDir: string): Promise<OAuthClients> {
  let text: string;
  try {
    text = await readFile(dataPaths(dataDir).configPath, 'utf8');
  } catch {
    return {};
  }
  const parsed = parseConfigText(text, { generateApiKey: newApiKey });
  return parsed.ok ? oauthClientsFromConfig(parsed.config.oauth.clients) : {};
}

async function importCommand(path: string, flags: CommonFlags & PassphraseFlags): Promise<void> {
  const document = await readImportDocument(path);
  const passphrase = await readPassphrase(flags);
  const inputs = await importInputs(document, { now: systemClock.now(), passphrase });
  const result = await withAccounts(flags, ({ accounts }) => accounts.upsertMany(inputs));
  const warnings = importWarnings(
    inputs,
    await configuredClients(resolveDataDir(flags.dataDir, process.env)),
  );
  print(
    flags,
    { created: result.created.map(toPublicAccount), updated: result.updated.map(toPublicAccount), warnings },
    `Imported ${result.created.length} new and updated ${result.updated.length} existing account(s) from ${path}\n`,
  );
  if (!flags.json) for (const warning of warnings) process.stderr.write(`warning: ${warning}\n`);
}

async function exportCommand(flags: ExportFlags): Promise<void> {
  const passphrase = await readPassphrase(flags);
  if ((passphrase === undefined) === (flags.plain !== true)) {
    throw new SwitchyardError(
      'validation_failed',
      'choose how to protect the credentials: --passphrase-file FILE or --passphrase-stdin (encrypted), or --plain (in clear)',
    );
  }
  const protection: ExportProtection = passphrase === undefined ? { plain: true } : { passphrase };
  const document = await withAccounts(flags, ({ accounts }) =>
    exportAccounts(accounts.list(), { now: systemClock.now(), protection }),
  );
  const text = `${JSON.stringify(document, null, 2)}\n`;
  if (flags.out === undefined) {
    process.stdout.write(text);
    return;
  }
  // Owner-only: even encrypted, the file is worth guarding; in plain form it holds every secret.
  await writeFileAtomic(flags.out, text, { mode: 0o600 });
  const how = document.encryption
    ? 'credentials encrypted with the passphrase'
    : 'credentials in PLAIN form: keep the file secret';
  process.stderr.write(`Exported ${document.accounts.length} account(s) to ${flags.out} (${how})\n`);
}

/** `switchyard accounts import` and `accounts export`, under the `accounts` command. */
export function registerTransferCommands(accounts: Command): void {
  withCommonOptions(
    accounts
      .command('import <file-or-dir>')
      .description(
        "Import accounts: an export of ours (switchyard accounts export), a JSON list (our shape, or {email, refresh_token} entries), a directory of per-account *.json files (the reference's accounts/ folder) or Antigravity Manager's whole data folder; every field the files have is kept, a banned or revoked account stays so, and a new token re-enables a revoked account",
      ),
  )
    .option('--passphrase-file <file>', 'passphrase of an encrypted export, read from a file')
    .option('--passphrase-stdin', 'passphrase of an encrypted export, read from standard input')
    .action((path: string, flags: CommonFlags & PassphraseFlags) => importCommand(path, flags));

  withCommonOptions(
    accounts
      .command('export')
      .description(
        'Export every account with every field, to import elsewhere with switchyard accounts import; credentials encrypted with a passphrase, or in plain form with --plain',
      ),
  )
    .option('--out <file>', 'write to this file (mode 0600) instead of standard output')
    .option(
      '--passphrase-file <file>',
      'encrypt the credentials with the passphrase in this file (8 characters or more)',
    )
    .option('--passphrase-stdin', 'encrypt the credentials with the passphrase read from standard input')
    .option('--plain', 'write the credentials in clear (the file then holds every secret)')
    .action((flags: ExportFlags) => exportCommand(flags));
}
