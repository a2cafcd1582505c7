/**
 * What `npm run build` compiles into dist/ (tsconfig.build.json: its files and every project file
 * they import) never imports the test framework: shared test helpers beside the code (contracts,
 * case tables, scenarios) stay out of the build, so the installed package runs without vitest.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import ts from 'typescript';
import { expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');

/** The files the build starts from, as tsconfig.build.json's include and exclude select them. */
function buildRoots(): string[] {
  const configPath = join(ROOT, 'tsconfig.build.json');
  const { config } = ts.readConfigFile(configPath, ts.sys.readFile);
  return ts.parseJsonConfigFileContent(config, ts.sys, ROOT, undefined, configPath).fileNames;
}

/** The project file a relative `./x.js` import names, or null for a package import. */
function resolveImport(from: string, specifier: string): string | null {
  if (!specifier.startsWith('.')) return null;
  const base = resolve(dirname(from), specifier);
  const candidates = [base.replace(/\.js$/, '.ts'), `${base}.ts`, join(base, 'index.ts'), base];
  return candidates.find((candidate) => candidate.endsWith('.ts') && existsSync(candidate)) ?? null;
}

/** Every file compiled into dist/, each with the packages it imports. */
function compiledFiles(): Map<string, string[]> {
  const files = new Map<string, string[]>();
  const pending = buildRoots();
  for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
    if (files.has(file)) continue;
    const imports = ts.preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles;
    const packages: string[] = [];
    for (const { fileName } of imports) {
      const local = resolveImport(file, fileName);
      if (local) pending.push(local);
      else if (!fileName.startsWith('.')) packages.push(fileName);
    }
    files.set(file, packages);
  }
  return files;
}

it('compiles no file that imports vitest into dist/', () => {
  const files = compiledFiles();
  expect(files.size).toBeGreaterThan(100);
  expect([...files.keys()]).toContain(join(ROOT, 'src/gateway/gateway.ts'));
  const importingVitest = [...files]
    .filter(([, packages]) => packages.some((name) => name === 'vitest' || name.startsWith('vitest/')))
    .map(([file]) => file.slice(ROOT.length + 1));
  expect(importingVitest).toEqual([]);
});
