import {
  chmod,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rm,
  stat,
  symlink,
  utimes,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { removeStaleTemporaryFiles, writeFileAtomic } from './atomic-write.js';

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

describe('removeStaleTemporaryFiles', () => {
  const now = Date.UTC(2026, 0, 1, 12);
  const age = async (name: string, ageMs: number) => {
    const file = join(directory, name);
    await writeFile(file, 'partial');
    const time = new Date(now - ageMs);
    await utimes(file, time, time);
  };

  it('removes the temporary files of interrupted writes beside the file, once they are stale', async () => {
    await writeFile(join(directory, 'gui_config.json'), '{}');
    await age('.gui_config.json.a1b2c3d4e5f6.tmp', 3_600_000);
    await age('secret.key.4242.0badf00d.tmp', 3_600_000);
    await age('.gui_config.json.0123456789ab.tmp', 1000);
    await age('other.json.a1b2c3.tmp', 3_600_000);
    await age('gui_config.json.bak', 3_600_000);

    expect(await removeStaleTemporaryFiles(join(directory, 'gui_config.json'), { now })).toEqual([
      '.gui_config.json.a1b2c3d4e5f6.tmp',
    ]);
    expect(await removeStaleTemporaryFiles(join(directory, 'secret.key'), { now })).toEqual([
      'secret.key.4242.0badf00d.tmp',
    ]);
    // A fresh one may be another process's write in progress; other files are not ours.
    expect((await readdir(directory)).sort()).toEqual([
      '.gui_config.json.0123456789ab.tmp',
      'gui_config.json',
      'gui_config.json.bak',
      'other.json.a1b2c3.tmp',
    ]);
  });

  it('does nothing in a directory that does not exist', async () => {
    expect(await removeStaleTemporaryFiles(join(directory, 'missing', 'gui_config.json'), { now })).toEqual(
      [],
    );
  });
});
