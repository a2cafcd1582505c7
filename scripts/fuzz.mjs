#!/usr/bin/env node
// `npm run fuzz -- --runs N [--seed S] [vitest options]`: the fuzz suites of `npm test`
// (test/robustness/fuzz-*.test.ts) with N random cases per property instead of the few `npm test`
// runs, and optionally another seed. Without --seed the seed of `npm test` is used, so a run can be
// replayed exactly by repeating its command line.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const SUITES = ['test/robustness/fuzz-proxy.test.ts', 'test/robustness/fuzz-admin.test.ts'];

function usage(problem) {
  console.error(`${problem}\nusage: npm run fuzz -- --runs N [--seed S] [vitest options]`);
  process.exit(2);
}

const environment = { ...process.env };
const passed = [];
const args = process.argv.slice(2);
for (let index = 0; index < args.length; index++) {
  const arg = args[index];
  const [flag, inline] = arg.split('=', 2);
  if (flag !== '--runs' && flag !== '--seed') {
    passed.push(arg);
    continue;
  }
  const value = inline ?? args[++index];
  if (value === undefined || !/^-?\d+$/.test(value)) usage(`${flag} needs an integer`);
  environment[flag === '--runs' ? 'SWITCHYARD_FUZZ_RUNS' : 'SWITCHYARD_FUZZ_SEED'] = value;
}
if (environment.SWITCHYARD_FUZZ_RUNS !== undefined && Number(environment.SWITCHYARD_FUZZ_RUNS) < 1)
  usage('--runs must be at least 1');

const vitest = fileURLToPath(new URL('../node_modules/vitest/vitest.mjs', import.meta.url));
const root = fileURLToPath(new URL('..', import.meta.url));
const result = spawnSync(process.execPath, [vitest, 'run', ...SUITES, ...passed], {
  cwd: root,
  env: environment,
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
