/**
 * The UI reaches the server's sources only through the `@contracts` alias (the admin API contract,
 * `src/admin/admin-contract.ts`), and nothing it reaches that way comes from `src/store/`: the
 * contract is zod schemas, not the store's internals.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const UI_SRC = dirname(fileURLToPath(import.meta.url));
const UI_ROOT = resolve(UI_SRC, '..');
const REPO = resolve(UI_ROOT, '..');
const CONTRACT = join(REPO, 'src/admin/admin-contract.ts');
const SPECIFIER =
  /(?:^|[\s;])(?:import|export)\s[^'";]*?from\s*['"]([^'"]+)['"]|import\s*\(?\s*['"]([^'"]+)['"]/g;

function sourceFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

function specifiers(file: string): string[] {
  return [...readFileSync(file, 'utf8').matchAll(SPECIFIER)].map((match) => match[1] ?? match[2] ?? '');
}

/** The file a relative specifier names (`./x.js` is `./x.ts` or `./x.tsx` in the sources). */
function resolveRelative(from: string, specifier: string): string {
  const base = resolve(dirname(from), specifier).replace(/\.js$/, '');
  const found = [`${base}.ts`, `${base}.tsx`, join(base, 'index.ts')].find((path) => existsSync(path));
  return found ?? base;
}

/** Every file the contract module reaches through relative imports, itself included. */
function contractFiles(): Set<string> {
  const reached = new Set<string>();
  const pending = [CONTRACT];
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (reached.has(file)) continue;
    reached.add(file);
    for (const specifier of specifiers(file)) {
      if (specifier.startsWith('.')) pending.push(resolveRelative(file, specifier));
    }
  }
  return reached;
}

describe('the UI sources', () => {
  it('import nothing outside ui/ but through the @contracts alias', () => {
    const files = sourceFiles(UI_SRC);
    expect(files.length).toBeGreaterThan(50);
    const outside = files.flatMap((file) =>
      specifiers(file)
        .filter((specifier) => specifier.startsWith('.'))
        .filter((specifier) => relative(UI_ROOT, resolveRelative(file, specifier)).startsWith('..'))
        .map((specifier) => `${relative(REPO, file)} imports ${specifier}`),
    );
    expect(outside).toEqual([]);
    expect(files.some((file) => specifiers(file).includes('@contracts'))).toBe(true);
  });

  it('reach no file of src/store/ through the contract', () => {
    const reached = [...contractFiles()].map((file) => relative(REPO, file));
    expect(reached).toContain('src/admin/account-contracts.ts');
    expect(reached.filter((file) => file.startsWith('src/store/'))).toEqual([]);
  });
});
