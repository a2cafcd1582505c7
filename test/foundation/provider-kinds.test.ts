/**
 * Adding a provider kind touches one folder (`src/providers/<kind>/`) and one line of
 * `src/providers/provider-kinds.ts`: no other source file may keep its own table of kinds — an
 * array or object literal naming two or more kinds, a `Record<ProviderKind, …>` — nor name the
 * one kind no client protocol shares a spelling with, `code-assist`, but the documented defaults below.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import ts from 'typescript';
import { expect, it } from 'vitest';
import { PROVIDER_KINDS } from '../../src/providers/provider-kinds.js';

const ROOT = resolve(import.meta.dirname, '../..');
const KINDS: ReadonlySet<string> = new Set(PROVIDER_KINDS);

/**
 * Where kinds may be named: the provider folders and their list; the simulator, whose names are the
 * wire protocols of the mock upstream it serves, not account kinds.
 */
function mayNameKinds(file: string): boolean {
  return (
    /^src\/providers\/[^/]+\//.test(file) ||
    file === 'src/providers/provider-kinds.ts' ||
    file.startsWith('src/simulator/')
  );
}

/** Single `code-assist` literals that are documented API defaults, as `file: line text`. */
const DOCUMENTED_DEFAULTS = new Set([
  // Antigravity-format imports carry no provider: their refresh tokens are Code Assist's (README, "Import").
  "src/admin/contracts.ts: provider: entry.provider ?? ('code-assist' as const),",
  // `POST /api/accounts/oauth/start` without a provider signs in to Code Assist (README, admin API).
  "src/admin/contracts.ts: provider: z.enum(PROVIDER_KINDS).default('code-assist'),",
  // The reference account of the admin API's examples.
  "src/admin/reference-account.ts: provider: 'code-assist',",
  // `switchyard accounts login` without --provider signs in to Code Assist (README, CLI).
  "src/cli/login-command.ts: 'code-assist',",
]);

/** Tables keyed by names that are spelt as kinds but are not account kinds, as `file: line text`. */
const OTHER_NAMES = new Set([
  // Rate-limit header families (`x-ratelimit-*`, `anthropic-ratelimit-*`), chosen by each adapter.
  'src/ratelimit/parse-quota-headers.ts: const PREFIXES: Record<HeaderFamily, string> = {',
  // The client protocol families the UI writes snippets for.
  "ui/src/lib/snippets.ts: export const DEFAULT_SNIPPET_MODELS: SnippetInput['models'] = {",
  "ui/src/pages/proxy/snippets-card.tsx: {(['openai', 'anthropic', 'gemini'] as const).map((family) => (",
]);

/** Every non-test source file of the gateway and the UI, relative to the root. */
function sourceFiles(): string[] {
  return ['src', 'ui/src'].flatMap((folder) =>
    readdirSync(join(ROOT, folder), { recursive: true, encoding: 'utf8' })
      .filter((name) => /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name))
      .map((name) => `${folder}/${name}`),
  );
}

/** The kind a node names: a string literal or a property name spelt as a kind; else null. */
function kindNamed(node: ts.Node | undefined): string | null {
  if (node === undefined) return null;
  const text = ts.isStringLiteral(node) || ts.isIdentifier(node) ? node.text : null;
  return text !== null && KINDS.has(text) ? text : null;
}

/** Whether every one of `nodes` names a kind, and there are two or more: a table of kinds, not of protocols. */
function allKinds(nodes: readonly (ts.Node | undefined)[]): boolean {
  return nodes.length >= 2 && nodes.every((node) => kindNamed(node) !== null);
}

/** The tables of kinds and `code-assist` literals in one file's text, as `file:line: text`. */
function kindTables(file: string, text: string): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const report = (node: ts.Node) => {
    const { line } = source.getLineAndCharacterOfPosition(node.getStart(source));
    const lineText = text.split('\n')[line]?.trim() ?? '';
    const key = `${file}: ${lineText}`;
    if (!DOCUMENTED_DEFAULTS.has(key) && !OTHER_NAMES.has(key))
      found.push(`${file}:${line + 1}: ${lineText}`);
  };
  const visit = (node: ts.Node): void => {
    if (ts.isArrayLiteralExpression(node) && allKinds(node.elements)) {
      report(node);
    } else if (
      ts.isObjectLiteralExpression(node) &&
      allKinds(node.properties.map((property) => property.name))
    ) {
      report(node);
    } else if (ts.isTypeReferenceNode(node) && node.getText(source).startsWith('Record<ProviderKind')) {
      report(node);
    } else if (ts.isMappedTypeNode(node) && /in ProviderKind\b/.test(node.getText(source))) {
      report(node);
    } else if (
      ts.isStringLiteral(node) &&
      node.text === 'code-assist' &&
      !ts.isImportDeclaration(node.parent)
    ) {
      report(node);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return [...new Set(found)];
}

it('finds no table of provider kinds outside the provider folders and their one list', () => {
  const files = sourceFiles().filter((file) => !mayNameKinds(file));
  expect(files.length).toBeGreaterThan(100);
  expect(files.flatMap((file) => kindTables(file, readFileSync(join(ROOT, file), 'utf8')))).toEqual([]);
});

it('judges a second list of kinds, a per-kind record and a stray code-assist literal as tables', () => {
  const file = 'src/scheduler/example.ts';
  expect(kindTables(file, "export const KINDS = ['openai', 'anthropic', 'gemini'];")).toHaveLength(1);
  expect(kindTables(file, "const TITLES = { openai: 'OpenAI', 'code-assist': 'Code Assist' };")).toHaveLength(
    1,
  );
  expect(kindTables(file, 'let titles: Record<ProviderKind, string>;')).toHaveLength(1);
  expect(kindTables(file, "if (account.provider === 'code-assist') refresh();")).toHaveLength(1);
  // A protocol name spelt as a kind is no table, nor a table of protocols naming some of them.
  expect(kindTables(file, "if (dialect === 'anthropic') return frame;")).toEqual([]);
  expect(kindTables(file, "const RULES = { anthropic: a, 'openai-chat': b, gemini: c };")).toEqual([]);
});
