import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');

function typeScriptFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return typeScriptFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Imports from 'kysely' that bring values (not `import type`), and any `import('kysely')`. */
function runtimeKyselyImports(text: string): string[] {
  const statements =
    text.match(/import\s+(?:type\s+)?\{[^}]*\}\s+from\s+'kysely'|import\s*\(\s*'kysely'\s*\)/g) ?? [];
  return statements.filter((statement) => !/^import\s+type\s/.test(statement));
}

describe('Kysely at run time', () => {
  it('is loaded from one build only: every value import goes through kysely-runtime.ts', () => {
    const offenders = ['src', 'test', 'bench']
      .flatMap((directory) => typeScriptFiles(join(ROOT, directory)))
      // The module itself, and this test, whose examples are imports.
      .filter((file) => !/kysely-runtime(\.test)?\.ts$/.test(file))
      .filter((file) => runtimeKyselyImports(readFileSync(file, 'utf8')).length > 0)
      .map((file) => relative(ROOT, file));
    expect(offenders).toEqual([]);
  });

  it('tells value imports from type imports', () => {
    expect(runtimeKyselyImports("import type { Kysely } from 'kysely';")).toEqual([]);
    expect(runtimeKyselyImports("import { type Kysely, sql } from 'kysely';")).toHaveLength(1);
    expect(runtimeKyselyImports("import {\n  CompiledQuery,\n} from 'kysely';")).toHaveLength(1);
    expect(runtimeKyselyImports("await import('kysely')")).toHaveLength(1);
  });
});
