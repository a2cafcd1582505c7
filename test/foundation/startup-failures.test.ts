import { createHash } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startGateway } from '../support/gateway-harness.js';
import { runCli, temporaryDirectory } from './run-cli.js';

const KEY_A = 'a'.repeat(64);
const KEY_B = 'b'.repeat(64);

let directory: { path: string; remove: () => Promise<void> };

beforeEach(async () => {
  directory = await temporaryDirectory();
});
afterEach(async () => {
  await directory.remove();
});

/** Every file of the data directory with a hash of its content. */
async function snapshot(dataDir: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const name of (await readdir(dataDir)).sort()) {
    files[name] = createHash('sha256')
      .update(await readFile(join(dataDir, name)))
      .digest('hex');
  }
  return files;
}

/** `switchyard start` must fail fast: a healthy start would keep running until the timeout kills it. */
function start(dataDir: string, env?: Record<string, string>) {
  return runCli(['start', '--data-dir', dataDir, '--port', '0'], { env, timeoutMs: 10_000 });
}

describe('a corrupted gui_config.json at start-up', () => {
  it.each([
    { name: 'bad JSON', text: '{"proxy": {"port": 8045,}}', problem: '(root): invalid JSON' },
    {
      name: 'a wrong type',
      text: JSON.stringify({ proxy: { allow_lan_access: 'yes' } }),
      problem: 'proxy.allow_lan_access: expected boolean, received string',
    },
    {
      name: 'an out-of-range value',
      text: JSON.stringify({ proxy: { circuit_breaker: { backoff_steps: [60, 0] } } }),
      problem: 'proxy.circuit_breaker.backoff_steps[1]: must be >= 1',
    },
    {
      name: 'an unknown enum value',
      text: JSON.stringify({ proxy: { auth_mode: 'sometimes' } }),
      problem: 'proxy.auth_mode: expected one of "off" | "strict" | "all_except_health" | "auto"',
    },
    {
      name: 'LAN access without authentication',
      text: JSON.stringify({ proxy: { allow_lan_access: true, auth_mode: 'off' } }),
      problem:
        'proxy.auth_mode: "off" while listening on 0.0.0.0 (proxy.allow_lan_access) would let anyone on the network use your accounts',
    },
  ])(
    '($name) exits non-zero naming the file and the problem path, file untouched',
    async ({ text, problem }) => {
      const file = join(directory.path, 'gui_config.json');
      await writeFile(file, text);
      const result = await start(directory.path);
      expect(result.signal).toBeNull();
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`Invalid config file ${file}`);
      expect(result.stderr).toContain(problem);
      expect(result.stdout).not.toContain('is listening');
      expect(await readFile(file, 'utf8')).toBe(text);
    },
  );
});

describe('an unreadable data directory', () => {
  it('(a path under a regular file) exits non-zero naming the path', async () => {
    const file = join(directory.path, 'not-a-directory');
    await writeFile(file, 'plain file');
    const dataDir = join(file, 'data');
    const result = await start(dataDir);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `switchyard: Data directory ${dataDir} is not usable (ENOTDIR): it must be a readable and writable directory\n`,
    );
    const listed = await runCli(['accounts', 'list', '--data-dir', dataDir]);
    expect(listed.code).toBe(1);
    expect(listed.stderr).toContain(`Data directory ${dataDir} is not usable`);
  });
});

describe('a wrong SWITCHYARD_SECRET_KEY for an existing database', () => {
  it('makes start and the accounts commands exit non-zero with the key message, changing nothing', async () => {
    const gateway = await startGateway({
      dataDir: directory.path,
      secretKey: KEY_A,
      accounts: [{ provider: 'openai', email: 'kept@example.com', api_key: 'sk-kept-0000111122223333' }],
    });
    await gateway.close();
    const filesBefore = await snapshot(directory.path);

    const started = await start(directory.path, { SWITCHYARD_SECRET_KEY: KEY_B });
    expect(started.code).toBe(1);
    expect(started.stderr).toMatch(/^switchyard: The secret key \(SWITCHYARD_SECRET_KEY, or secret.key/);
    const database = join(directory.path, 'switchyard.db');
    expect(started.stderr).toContain(`does not match the one the database ${database} was created with`);
    expect(started.stdout).not.toContain('is listening');

    const listed = await runCli(['accounts', 'list', '--data-dir', directory.path], {
      env: { SWITCHYARD_SECRET_KEY: KEY_B },
    });
    expect(listed.code).toBe(1);
    expect(listed.stderr).toContain(`does not match the one the database ${database} was created with`);

    expect(await snapshot(directory.path)).toEqual(filesBefore);
    const withRightKey = await runCli(['accounts', 'list', '--json', '--data-dir', directory.path], {
      env: { SWITCHYARD_SECRET_KEY: KEY_A },
    });
    expect(withRightKey.code).toBe(0);
    expect(JSON.parse(withRightKey.stdout)).toMatchObject({ accounts: [{ email: 'kept@example.com' }] });
  });

  it('a malformed key exits non-zero saying what a key looks like', async () => {
    const result = await start(directory.path, { SWITCHYARD_SECRET_KEY: 'not-a-key' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'SWITCHYARD_SECRET_KEY is not a valid key: expected 64 hexadecimal characters',
    );
  });
});
