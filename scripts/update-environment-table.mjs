#!/usr/bin/env node
// `npm run docs:env`: rewrites the environment variable tables in README.md from the config
// schema (the compiled dist/, built by the npm script first). A test fails while they differ.
import { readFileSync, writeFileSync } from 'node:fs';

const { environmentTable, TABLE_START, TABLE_END } = await import('../dist/src/cli/environment-table.js');
const readmeUrl = new URL('../README.md', import.meta.url);
const readme = readFileSync(readmeUrl, 'utf8');
const start = readme.indexOf(TABLE_START);
const end = readme.indexOf(TABLE_END);
if (start < 0 || end < start) {
  console.error(`README.md has no ${TABLE_START} … ${TABLE_END} block`);
  process.exit(1);
}
const updated = `${readme.slice(0, start)}${TABLE_START}\n\n${environmentTable()}\n\n${readme.slice(end)}`;
writeFileSync(readmeUrl, updated);
console.log(updated === readme ? 'README.md is up to date' : 'README.md environment tables rewritten');
