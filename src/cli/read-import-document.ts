import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { appendAll } from '../core/append-all.js';
import { SwitchyardError } from '../core/errors.js';
import { isJsonObject } from '../core/json.js';

async function readJson(file: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new SwitchyardError('invalid_json', `Cannot read ${file}: ${(error as Error).message}`);
  }
}

/** The entries of one parsed file: a list, `{accounts: [...]}`, or a single account object. */
function entriesOf(document: unknown): unknown[] {
  if (Array.isArray(document)) return document;
  if (isJsonObject(document) && Array.isArray(document['accounts'])) return document['accounts'];
  return [document];
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch (error) {
    throw new SwitchyardError(
      'not_found',
      `Cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? error}`,
    );
  }
}

/**
 * What `switchyard accounts import PATH` imports: the JSON document of a file, or — for a directory
 * such as the reference's `accounts/` folder, one `<id>.json` per account — the entries of every
 * `*.json` file in it, in name order. The reference's whole data folder (`~/.antigravity_tools`,
 * which holds `accounts/` beside `gui_config.json` and the `accounts.json` index) reads its
 * `accounts/` folder.
 */
export async function readImportDocument(path: string): Promise<unknown> {
  if (!(await isDirectory(path))) return readJson(path);
  const listing = await readdir(path, { withFileTypes: true });
  if (listing.some((entry) => entry.isDirectory() && entry.name === 'accounts')) {
    return readImportDocument(join(path, 'accounts'));
  }
  const files = listing
    .filter((entry) => entry.isFile() && entry.name.toLowerCase().endsWith('.json'))
    .map((entry) => entry.name)
    .sort();
  if (files.length === 0) throw new SwitchyardError('validation_failed', `No *.json files in ${path}`);
  const entries: unknown[] = [];
  for (const file of files) appendAll(entries, entriesOf(await readJson(join(path, file))));
  return entries;
}
