import { readFile } from 'node:fs/promises';
import { ConfigFileError } from './config-file-error.js';
import type { EnvironmentOverrides } from './environment-overrides.js';
import { parseConfigText } from './parse-config-text.js';
import type { SwitchyardConfig } from './schema.js';

/** The file's text, or null when it does not exist; any other read failure is a `ConfigFileError`. */
export async function readExisting(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw ConfigFileError.io({ filePath: path, action: 'read', error });
  }
}

/**
 * The config in `path` without creating, completing or watching the file (the short-lived CLI
 * commands): defaults when it does not exist; a `ConfigFileError` naming every problem when it is
 * invalid. `overrides` (settings given by environment variables) are laid over it, as the gateway does.
 */
export async function readConfigFile(
  path: string,
  overrides: EnvironmentOverrides = [],
): Promise<SwitchyardConfig> {
  const text = (await readExisting(path)) ?? '{}';
  // A missing API key is no problem here: the gateway generates it; these commands do not use it.
  const parsed = parseConfigText(text, { generateApiKey: () => 'sk-not-used-by-this-command', overrides });
  if (!parsed.ok) throw ConfigFileError.invalid(path, parsed.issues);
  return parsed.config;
}
