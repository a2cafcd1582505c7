/**
 * The direction of imports between the edge folders: `cli` (the composition root) → `server` (the
 * HTTP application) → `admin` (a Fastify plugin), never back. The admin routes reach the server
 * only through the leaf `server/route-policy.ts`, which itself imports none of the three folders.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const ROUTE_POLICY = 'src/server/route-policy.ts';

/** Every `.ts` file under `folder` but the tests, which may wire the layers together as the app does. */
function sourceFiles(folder: string): string[] {
  return readdirSync(join(ROOT, folder), { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts'))
    .map((name) => join(folder, name));
}

/** The project files `file` imports (static, type-only, re-exports and dynamic), relative to the root. */
function localImports(file: string): string[] {
  const { importedFiles } = ts.preProcessFile(readFileSync(join(ROOT, file), 'utf8'), true, true);
  return importedFiles
    .map(({ fileName }) => fileName)
    .filter((specifier) => specifier.startsWith('.'))
    .map((specifier) => relative(ROOT, resolve(ROOT, dirname(file), specifier)).replace(/\.js$/, '.ts'));
}

/** The edge folder (`cli`, `server`, `admin`) a path lies in, or null. */
function layerOf(path: string): string | null {
  return /^src\/(cli|server|admin)\//.exec(path)?.[1] ?? null;
}

/** Whether an import from `file` to `target` goes against the allowed direction. */
function forbidden(file: string, target: string): boolean {
  const from = layerOf(file);
  const to = layerOf(target);
  if (from === null || to === null) return false;
  if (file === ROUTE_POLICY) return true;
  if (from === to) return false;
  if (to === 'cli') return true;
  if (from === 'admin' && to === 'server') return target !== ROUTE_POLICY;
  return false;
}

/** Every import between the edge folders that breaks the layering, as `from -> to`. */
function violations(): string[] {
  const files = ['src/cli', 'src/server', 'src/admin'].flatMap(sourceFiles);
  return files.flatMap((file) =>
    localImports(file)
      .filter((target) => forbidden(file, target))
      .map((target) => `${file} -> ${target}`),
  );
}

it('reads the imports of the edge folders', () => {
  const imports = localImports('src/server/create-app.ts');
  expect(imports).toContain('src/admin/register-admin-routes.ts');
  expect(imports).toContain(ROUTE_POLICY);
});

it('imports only downwards: cli → server → admin, admin reaching the server only through route-policy', () => {
  expect(violations()).toEqual([]);
});

it('judges the imports that would bring the circle back as violations', () => {
  expect(forbidden('src/server/app-dependencies.ts', 'src/cli/compose-gateway.ts')).toBe(true);
  expect(forbidden('src/admin/routes/log-routes.ts', 'src/server/create-app.ts')).toBe(true);
  expect(forbidden('src/admin/routes/key-routes.ts', 'src/cli/compose-keys.ts')).toBe(true);
  expect(forbidden(ROUTE_POLICY, 'src/server/auth.ts')).toBe(true);
  expect(forbidden(ROUTE_POLICY, 'src/admin/routes/admin-route.ts')).toBe(true);
  expect(forbidden('src/admin/routes/log-routes.ts', ROUTE_POLICY)).toBe(false);
  expect(forbidden('src/cli/gateway-runtime.ts', 'src/server/create-app.ts')).toBe(false);
  expect(forbidden('src/server/create-app.ts', 'src/admin/register-admin-routes.ts')).toBe(false);
});
