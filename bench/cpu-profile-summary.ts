/**
 * Summarises a `.cpuprofile` (as written by `bench:proxy -- --cpu-prof DIR`): the share of the
 * thread's busy time (idle samples left out) spent in each function itself (self) and below it
 * (total), and the source lines with the most self time.
 *
 * Usage: `node dist/bench/cpu-profile-summary.js FILE [--top N] [--match TEXT]` (`--match` keeps
 * the functions whose name or file contains TEXT, e.g. `dist/src/` for Switchyard's own code).
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { frameKey, shortPath } from './profile-frame.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
  positionTicks?: { line: number; ticks: number }[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
}

function add(into: Map<string, number>, key: string, count: number): void {
  into.set(key, (into.get(key) ?? 0) + count);
}

/** Self and total samples per function, self samples per source line, and the busy sample count. */
function aggregate(profile: CpuProfile) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const hits = new Map<number, number>();
  for (const id of profile.samples) hits.set(id, (hits.get(id) ?? 0) + 1);
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  const lines = new Map<string, number>();
  let busy = 0;
  for (const [id, count] of hits) {
    const node = byId.get(id);
    if (!node || node.callFrame.functionName === '(idle)') continue;
    busy += count;
    add(self, frameKey(node.callFrame), count);
    // A recursive function counts once per sample in its total.
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) {
      const frame = byId.get(at);
      if (!frame) break;
      const key = frameKey(frame.callFrame);
      if (!seen.has(key)) add(total, key, count);
      seen.add(key);
    }
  }
  for (const node of profile.nodes) {
    for (const tick of node.positionTicks ?? []) {
      add(lines, `${shortPath(node.callFrame.url)}:${tick.line}`, tick.ticks);
    }
  }
  return { self, total, lines, busy };
}

function print(
  title: string,
  values: Map<string, number>,
  options: { busy: number; top: number; match?: string },
) {
  process.stdout.write(`\n== ${title}\n`);
  const rows = [...values]
    .filter(([key]) => options.match === undefined || key.includes(options.match))
    .sort((left, right) => right[1] - left[1])
    .slice(0, options.top);
  for (const [key, count] of rows) {
    process.stdout.write(`${((100 * count) / options.busy).toFixed(1).padStart(5)} %  ${key}\n`);
  }
}

function main(): void {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { top: { type: 'string' }, match: { type: 'string' } },
  });
  const file = positionals[0];
  if (!file) throw new Error('usage: cpu-profile-summary FILE [--top N] [--match TEXT]');
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const { self, total, lines, busy } = aggregate(profile);
  const options = { busy, top: Number(values.top ?? 40), match: values.match };
  process.stdout.write(
    `${profile.samples.length} samples, ${busy} busy (shares below are of busy samples)\n`,
  );
  print('self time by function', self, options);
  print('total time by function', total, options);
  print('self time by source line', lines, options);
}

main();
