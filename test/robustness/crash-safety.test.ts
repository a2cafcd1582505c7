/**
 * Crash safety: the real `switchyard start` is killed with SIGKILL again and again while accounts
 * are added and patched through the admin API, added with `switchyard accounts add`, and the config
 * is changed through `PUT /api/config`. After every kill the database passes
 * `PRAGMA integrity_check`, `gui_config.json` parses and validates, and after every restart every
 * acknowledged write (a 2xx, or the command's exit 0) is there; a write in flight at the kill may
 * be there or not, but never half.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { validateConfigDocument } from '../../src/config/parse-config-text.js';
import { systemClock } from '../../src/core/clock.js';
import { seededRandom } from '../../src/simulator/seeded-random.js';
import { type CliGateway, startCliGateway, temporaryDirectory } from '../foundation/run-cli.js';
import { fuzzSettings } from '../support/fuzz-settings.js';
import { httpCall, pick } from '../support/http-call.js';
import {
  AcknowledgedWrites,
  apiAccountWriter,
  cliWriter,
  configOfGeneration,
  configWriter,
  type WriterContext,
} from './crash-writers.js';

const KILLS = 20;
const API_KEY = 'sk-crash-proxy-key-0b5d9c3e';

let dataDir: string;
let removeDir: () => Promise<void>;
let gateway: CliGateway | null = null;

beforeAll(async () => {
  const directory = await temporaryDirectory();
  dataDir = directory.path;
  removeDir = directory.remove;
  await writeFile(
    join(dataDir, 'gui_config.json'),
    JSON.stringify({ proxy: { api_key: API_KEY }, auto_refresh: false }),
  );
});
afterAll(async () => {
  await gateway?.stop('SIGKILL');
  await removeDir?.();
});

/** The database file as SQLite sees it after a crash: `ok`, or what is broken. */
function integrityOf(path: string): string {
  const database = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const rows = database.pragma('integrity_check') as Array<{ integrity_check: string }>;
    return rows.map((row) => row.integrity_check).join('; ');
  } finally {
    database.close();
  }
}

/** `gui_config.json` parses and passes the schema; null, or the reason it does not. */
async function configProblem(): Promise<string | null> {
  const text = await readFile(join(dataDir, 'gui_config.json'), 'utf8');
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    return `not JSON (${(error as Error).message}): ${text.slice(0, 200)}`;
  }
  const validation = validateConfigDocument(document);
  return validation.ok ? null : JSON.stringify(validation.issues);
}

/** Every acknowledged write is visible through the restarted gateway. */
async function expectAcknowledgedWrites(options: {
  url: string;
  record: AcknowledgedWrites;
  /** The command's adds acknowledged before this gateway started. */
  cliAcknowledged: ReadonlySet<string>;
  kill: number;
}): Promise<void> {
  const { url, record, kill } = options;
  const headers = { authorization: `Bearer ${API_KEY}` };
  const listed = pick((await httpCall(`${url}/api/accounts`, { headers })).json, 'accounts') as Array<{
    email: string;
    label: string | null;
  }>;
  const labels = new Map(listed.map((account) => [account.email, account.label]));
  for (const [email, allowed] of record.apiAccounts) {
    expect(labels.has(email), `after kill ${kill}: ${email} was acknowledged`).toBe(true);
    expect([...allowed], `after kill ${kill}: label of ${email}`).toContain(labels.get(email));
  }
  for (const email of options.cliAcknowledged)
    expect(labels.has(email), `after kill ${kill}: ${email} was added by the CLI`).toBe(true);

  const proxy = pick((await httpCall(`${url}/api/config`, { headers })).json, 'proxy') as {
    custom_mapping: Record<string, string>;
    request_timeout: number;
  };
  const generation = Object.keys(proxy.custom_mapping).length;
  expect(generation, `after kill ${kill}: config generation`).toBeGreaterThanOrEqual(
    record.configAcknowledged,
  );
  expect(generation).toBeLessThanOrEqual(record.configSent);
  // One write's mapping and timeout together, never a mix of two.
  if (generation > 0) expect(proxy).toMatchObject(configOfGeneration(generation).proxy);
}

it(`survives ${KILLS} kill -9 during admin API, CLI and config writes without losing an acknowledged write`, async () => {
  const random = seededRandom(fuzzSettings().seed);
  const record = new AcknowledgedWrites();
  let finished = false;
  // The command writes the database on its own, before, during and after each crash and restart.
  const commandLine = cliWriter({ dataDir, label: 'cli', record, stopped: () => finished }).then(
    () => null,
    (error: Error) => error.message,
  );
  const started = systemClock.now();
  for (let kill = 1; kill <= KILLS; kill++) {
    const cliAcknowledged = new Set(record.cliAccounts);
    gateway = await startCliGateway({ dataDir });
    await expectAcknowledgedWrites({ url: gateway.url, record, cliAcknowledged, kill: kill - 1 });
    // A config write killed halfway leaves its temporary file; the restart clears it away.
    expect((await readdir(dataDir)).filter((name) => name.endsWith('.tmp'))).toEqual([]);

    let stopped = false;
    const context: WriterContext = {
      url: gateway.url,
      apiKey: API_KEY,
      label: String(kill),
      record,
      stopped: () => stopped,
    };
    const writers = [apiAccountWriter(context, 1), apiAccountWriter(context, 2), configWriter(context)];
    await systemClock.sleep(100 + Math.floor(random() * 700));
    await gateway.stop('SIGKILL');
    stopped = true;
    await Promise.all(writers);
    gateway = null;

    expect(integrityOf(join(dataDir, 'switchyard.db')), `database after kill ${kill}`).toBe('ok');
    expect(await configProblem(), `gui_config.json after kill ${kill}`).toBeNull();
  }
  finished = true;
  expect(await commandLine, 'every switchyard accounts add succeeded').toBeNull();
  gateway = await startCliGateway({ dataDir });
  await expectAcknowledgedWrites({
    url: gateway.url,
    record,
    cliAcknowledged: record.cliAccounts,
    kill: KILLS,
  });
  console.info(
    `crash safety: ${KILLS} kills; acknowledged ${record.writes.api} admin API account writes, ` +
      `${record.writes.cli} CLI adds, ${record.writes.config} config changes, in ${systemClock.now() - started} ms`,
  );
  expect(record.writes.api).toBeGreaterThan(0);
  expect(record.writes.cli).toBeGreaterThan(0);
  expect(record.writes.config).toBeGreaterThan(0);
}, 240_000);
