import { spawnSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { removeLeftoverTemporaryFiles, writeFileAtomic } from './atomic-write.js';

let directory: string;

beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'switchyard-atomic-'));
});

afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe('writeFileAtomic', () => {
  it('creates a new file with the given content and leaves no temporary file', async () => {
    const path = join(directory, 'config.json');
    await writeFileAtomic(path, '{"a":1}\n');
    expect(await readFile(path, 'utf8')).toBe('{"a":1}\n');
    expect(await readdir(directory)).toEqual(['config.json']);
  });

  it('replaces an existing file and keeps its mode when none is given', async () => {
    const path = join(directory, 'config.json');
    await writeFile(path, 'old');
    await chmod(path, 0o640);
    await writeFileAtomic(path, 'new');
    expect(await readFile(path, 'utf8')).toBe('new');
    expect((await stat(path)).mode & 0o777).toBe(0o640);
    expect(await readdir(directory)).toEqual(['config.json']);
  });

  it('applies an explicit mode exactly, regardless of the umask', async () => {
    const path = join(directory, 'secret.json');
    await writeFileAtomic(path, 'x', { mode: 0o600 });
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });

  it('writes binary data', async () => {
    const path = join(directory, 'blob');
    await writeFileAtomic(path, new Uint8Array([0, 1, 2, 255]));
    expect([...(await readFile(path))]).toEqual([0, 1, 2, 255]);
  });

  it('replaces the target of a symlink and keeps the link', async () => {
    const real = join(directory, 'real.json');
    const link = join(directory, 'link.json');
    await writeFile(real, 'old');
    await symlink(real, link);
    await writeFileAtomic(link, 'new');
    expect(await readFile(real, 'utf8')).toBe('new');
    expect((await readdir(directory)).sort()).toEqual(['link.json', 'real.json']);
  });

  it('removes the temporary file and leaves the old content when the rename fails', async () => {
    // A directory at the target path makes rename() fail after the temporary file is written.
    const path = join(directory, 'occupied');
    await mkdir(path);
    await writeFile(join(path, 'inside'), 'keep');
    await expect(writeFileAtomic(path, 'data')).rejects.toThrow();
    expect(await readdir(directory)).toEqual(['occupied']);
    expect(await readFile(join(path, 'inside'), 'utf8')).toBe('keep');
  });

  it('fails without leaving anything when the directory does not exist', async () => {
    await expect(writeFileAtomic(join(directory, 'missing', 'config.json'), 'x')).rejects.toThrow(/ENOENT/);
    expect(await readdir(directory)).toEqual([]);
  });

  it('leaves the last of many concurrent writes complete, never a mix', async () => {
    const path = join(directory, 'config.json');
    const contents = Array.from({ length: 20 }, (_, index) => String(index).repeat(5000));
    await Promise.all(contents.map((content) => writeFileAtomic(path, content)));
    expect(contents).toContain(await readFile(path, 'utf8'));
    expect(await readdir(directory)).toEqual(['config.json']);
  });
});

describe('removeLeftoverTemporaryFiles', () => {
  /** The id of a process that has exited. */
  const deadPid = () => spawnSync(process.execPath, ['-e', '0']).pid ?? 1;

  it('removes what writers that died left behind, keeps what a running writer may still rename', async () => {
    const path = join(directory, 'config.json');
    await writeFile(path, '{}');
    const dead = `.config.json.${deadPid()}.0a1b2c3d4e5f.tmp`;
    const untagged = '.config.json.0a1b2c3d4e5f.tmp';
    const running = `.config.json.${process.pid}.0a1b2c3d4e5f.tmp`;
    const unrelated = '.other.json.0a1b2c3d4e5f.tmp';
    for (const name of [dead, untagged, running, unrelated]) await writeFile(join(directory, name), 'x');
    expect(await removeLeftoverTemporaryFiles(path)).toBe(2);
    expect((await readdir(directory)).sort()).toEqual([running, unrelated, 'config.json'].sort());
  });

  it("removes a dead writer's undotted temporary file too (the secret key's creation)", async () => {
    const path = join(directory, 'secret.key');
    const dead = `secret.key.${deadPid()}.0badf00d.tmp`;
    await writeFile(join(directory, dead), 'partial');
    expect(await removeLeftoverTemporaryFiles(path)).toBe(1);
    expect(await readdir(directory)).toEqual([]);
  });

  it('does nothing in a directory that does not exist', async () => {
    expect(await removeLeftoverTemporaryFiles(join(directory, 'missing', 'gui_config.json'))).toBe(0);
  });
});
