/**
 * Summarises a `.heapprofile` written by `survivor-probe.js` (with `SURVIVOR_PROBE_ALLOCATIONS=1`,
 * every allocation; without, what survived scavenges): sampled bytes per request served, by
 * allocating function and by the innermost Switchyard function on the stack.
 *
 * Usage: `node dist/bench/heap-profile-summary.js FILE [--top N] [--requests N]` (`--requests` when
 * the profile does not carry the count it was taken over).
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { type HeapProfile, profileBytes } from './heap/profile-bytes.js';

function print(title: string, rows: readonly [string, number][], top: number): void {
  process.stdout.write(`\n== ${title}\n`);
  for (const [key, bytes] of rows.slice(0, top)) {
    process.stdout.write(`${bytes.toFixed(0).padStart(7)} B  ${key}\n`);
  }
}

function main(): void {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { top: { type: 'string' }, requests: { type: 'string' } },
  });
  const file = positionals[0];
  if (!file) throw new Error('usage: heap-profile-summary FILE [--top N] [--requests N]');
  const profile = JSON.parse(readFileSync(file, 'utf8')) as HeapProfile;
  const bytes = profileBytes(profile, values.requests === undefined ? undefined : Number(values.requests));
  const top = Number(values.top ?? 30);
  process.stdout.write(`${bytes.perRequest.toFixed(0)} sampled bytes per request\n`);
  print('bytes per request by allocating function', bytes.self, top);
  print('bytes per request by innermost Switchyard function', bytes.switchyard, top);
}

main();
