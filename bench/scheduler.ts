/**
 * Scheduler benchmark (`npm run bench:scheduler`): time per pick at 10 to 100 000 accounts, the
 * same through `Scheduler.select` with a MemoryStateStore holding 1 000 000 live bindings, and the
 * memory one binding costs. Writes bench/results/scheduler.json and scheduler.md.
 * Goals: median pick ≤ 2 µs at 10 000 accounts; 1 000 000 bindings ≤ 250 MB.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Account, Tier } from '../src/core/account.js';
import { MemoryAccountPool } from '../src/core/account-pool.js';
import { FakeClock, systemClock } from '../src/core/clock.js';
import type { RateLimitLock } from '../src/core/limits.js';
import { AccountOrder } from '../src/scheduler/account-order.js';
import { LockTable } from '../src/scheduler/lock-table.js';
import type { PickInput, PickRequest, SchedulingConfig } from '../src/scheduler/pick.js';
import { DEFAULT_WINDOW_MS, pick } from '../src/scheduler/pick.js';
import { RateLimitTracker } from '../src/scheduler/rate-limit-tracker.js';
import { Scheduler } from '../src/scheduler/scheduler.js';
import { quotaOf, testAccount } from '../src/scheduler/test-account.js';
import { MemoryStateStore } from '../src/state/memory-state-store.js';

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

const SIZES = [10, 1_000, 10_000, 100_000];
const BINDINGS = 1_000_000;
const MODEL = 'claude-sonnet-4';
const NOW = Date.UTC(2026, 0, 1);
const PICK_SAMPLES = 200_000;
const SELECT_SAMPLES = 50_000;

/** Deterministic pseudo-random numbers (mulberry32), so every run measures the same workload. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = Math.imul(state ^ (state >>> 15), 1 | state);
    value = (value + Math.imul(value ^ (value >>> 7), 61 | value)) ^ value;
    return ((value ^ (value >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** A realistic pool: mixed tiers and quotas, 2 % disabled, 1 % proxy-disabled. */
function makeAccounts(count: number): Account[] {
  const next = random(count);
  const tiers: (Tier | null)[] = ['ULTRA', 'PRO', 'PRO', 'PRO', 'FREE', 'FREE', 'FREE', 'FREE', null, null];
  return Array.from({ length: count }, (_, index) =>
    testAccount(`acct-${index.toString().padStart(6, '0')}`, {
      tier: tiers[Math.floor(next() * tiers.length)] ?? null,
      quota: quotaOf(MODEL, Math.round(next() * 20) / 20),
      disabled: next() < 0.02,
      proxyDisabled: next() < 0.01,
      createdAt: NOW + index,
    }),
  );
}

/** Locks on 1 % of the accounts, half account-level, half for the benchmarked model. */
function makeLocks(accounts: readonly Account[]): RateLimitLock[] {
  const next = random(7);
  return accounts
    .filter(() => next() < 0.01)
    .map((account, index) => ({
      accountId: account.id,
      scope: index % 2 === 0 ? 'account' : 'model',
      model: index % 2 === 0 ? null : MODEL,
      reason: 'RateLimitExceeded',
      source: 'retry-after',
      until: NOW + 3_600_000,
      detectedAt: NOW,
      message: null,
    }));
}

function schedulingConfig(mode: SchedulingConfig['mode']): SchedulingConfig {
  return Object.freeze({
    mode,
    maxWaitSeconds: 60,
    quotaProtection: Object.freeze({ enabled: true, thresholdPercentage: 10, monitoredModels: ['claude-*'] }),
    windowMs: DEFAULT_WINDOW_MS,
  });
}

/** 80 % bound sessions, 10 % new sessions, 10 % without a session id. */
function makeWorkload(
  accounts: readonly Account[],
  size: number,
): { request: PickRequest; bound: string | null }[] {
  const next = random(size + 1);
  const empty = new Set<string>();
  return Array.from({ length: 4096 }, (_, index) => {
    const roll = next();
    const sessionId = roll < 0.9 ? `sid-${index.toString(16).padStart(16, '0')}` : null;
    const bound = roll < 0.8 ? (accounts[Math.floor(next() * accounts.length)]?.id ?? null) : null;
    return { request: { sessionId, model: MODEL, attempted: empty, forceRotate: false }, bound };
  });
}

interface Timing {
  medianNs: number;
  p99Ns: number;
  meanNs: number;
}

function summarize(samples: Float64Array, overheadNs: number): Timing {
  const sorted = Float64Array.from(samples).sort();
  const at = (quantile: number) =>
    Math.max(0, (sorted[Math.floor(quantile * (sorted.length - 1))] ?? 0) - overheadNs);
  const total = samples.reduce((sum, value) => sum + value, 0);
  return { medianNs: at(0.5), p99Ns: at(0.99), meanNs: Math.max(0, total / samples.length - overheadNs) };
}

/** What one `process.hrtime.bigint()` pair costs; subtracted from every sample. */
function timerOverheadNs(): number {
  const samples = new Float64Array(100_000);
  for (let index = 0; index < samples.length; index++) {
    const start = process.hrtime.bigint();
    samples[index] = Number(process.hrtime.bigint() - start);
  }
  return summarize(samples, 0).medianNs;
}

function benchPick(size: number, mode: SchedulingConfig['mode'], overheadNs: number): Timing {
  const accounts = makeAccounts(size);
  const order = new AccountOrder(new MemoryAccountPool(accounts));
  const locks = LockTable.from(makeLocks(accounts));
  const config = schedulingConfig(mode);
  const workload = makeWorkload(accounts, size);
  const input = (index: number): PickInput => {
    const item = workload[index % workload.length]!;
    return {
      accounts: order,
      request: item.request,
      state: {
        boundAccountId: item.bound,
        fixedAccountId: null,
        lastUsed: null,
        roundRobinCounter: index,
        locks,
      },
      config,
      now: NOW,
    };
  };
  for (let index = 0; index < 20_000; index++) pick(input(index));
  const samples = new Float64Array(PICK_SAMPLES);
  for (let index = 0; index < samples.length; index++) {
    const prepared = input(index);
    const start = process.hrtime.bigint();
    pick(prepared);
    samples[index] = Number(process.hrtime.bigint() - start);
  }
  return summarize(samples, overheadNs);
}

async function fillBindings(store: MemoryStateStore, accounts: readonly Account[]): Promise<string[]> {
  const sessions: string[] = [];
  for (let index = 0; index < BINDINGS; index++) {
    // Flat strings, as a hash-derived session id would be once sliced and copied.
    const sessionId = `sid-${index.toString(16).padStart(16, '0')}`;
    sessions.push(sessionId);
    await store.setBinding(sessionId, accounts[index % accounts.length]!.id);
  }
  return sessions;
}

async function benchSelect(size: number, overheadNs: number): Promise<Timing> {
  const clock = new FakeClock(NOW);
  const accounts = makeAccounts(size);
  const pool = new MemoryAccountPool(accounts);
  const store = await MemoryStateStore.create({ clock, maxBindings: BINDINGS + 100_000 });
  for (const lock of makeLocks(accounts)) await store.setLock(lock);
  const sessions = await fillBindings(store, accounts);
  const config = Object.freeze({
    scheduling: schedulingConfig('Balance'),
    circuitBreaker: Object.freeze({
      enabled: true,
      backoffSteps: [60, 300, 1800, 7200],
      maxLockSeconds: 86_400,
    }),
  });
  const limits = new RateLimitTracker({ pool, store, clock, config: () => config });
  const scheduler = new Scheduler({ pool, store, clock, config: () => config, limits });
  const next = random(size + 2);
  const empty = new Set<string>();
  const samples = new Float64Array(SELECT_SAMPLES);
  for (let index = -10_000; index < samples.length; index++) {
    const roll = next();
    const sessionId =
      roll < 0.8 ? sessions[Math.floor(next() * sessions.length)]! : roll < 0.9 ? `new-${index}` : null;
    const request = { sessionId, model: MODEL, attempted: empty, forceRotate: false };
    const start = process.hrtime.bigint();
    await scheduler.select(request);
    if (index >= 0) samples[index] = Number(process.hrtime.bigint() - start);
  }
  await scheduler.close();
  await limits.close();
  await store.close();
  return summarize(samples, overheadNs);
}

async function bindingMemory(): Promise<{ bytesPerBinding: number; totalMb: number }> {
  const clock = new FakeClock(NOW);
  const accounts = makeAccounts(10_000);
  collectGarbage();
  const before = process.memoryUsage().heapUsed;
  const store = await MemoryStateStore.create({ clock, maxBindings: BINDINGS });
  const sessions = await fillBindings(store, accounts);
  sessions.length = 0;
  collectGarbage();
  const after = process.memoryUsage().heapUsed;
  const count = await store.countBindings();
  await store.close();
  return { bytesPerBinding: (after - before) / count, totalMb: (after - before) / 1024 / 1024 };
}

const us = (ns: number) => (ns / 1000).toFixed(2);

async function main(): Promise<void> {
  const overheadNs = timerOverheadNs();
  const rows: { accounts: number; pickBalance: Timing; pickPerformanceFirst: Timing; select: Timing }[] = [];
  for (const size of SIZES) {
    const pickBalance = benchPick(size, 'Balance', overheadNs);
    const pickPerformanceFirst = benchPick(size, 'PerformanceFirst', overheadNs);
    const select = await benchSelect(size, overheadNs);
    rows.push({ accounts: size, pickBalance, pickPerformanceFirst, select });
    console.log(
      `${size} accounts: pick median ${us(pickBalance.medianNs)} µs, select median ${us(select.medianNs)} µs`,
    );
  }
  const memory = await bindingMemory();
  const result = {
    date: new Date(systemClock.now()).toISOString(),
    node: process.version,
    cpu: cpus()[0]?.model ?? 'unknown',
    timerOverheadNs: overheadNs,
    bindings: BINDINGS,
    rows,
    memory,
  };
  const directory = new URL('../../bench/results/', import.meta.url);
  mkdirSync(directory, { recursive: true });
  writeFileSync(new URL('scheduler.json', directory), `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync(new URL('scheduler.md', directory), markdown(result));
  console.log(markdown(result));
}

function markdown(result: {
  date: string;
  node: string;
  cpu: string;
  timerOverheadNs: number;
  rows: { accounts: number; pickBalance: Timing; pickPerformanceFirst: Timing; select: Timing }[];
  memory: { bytesPerBinding: number; totalMb: number };
}): string {
  const lines = [
    '# Scheduler benchmark',
    '',
    `${result.date}, Node ${result.node}, ${result.cpu}. Times in µs per call, timer overhead (${result.timerOverheadNs.toFixed(0)} ns) subtracted.`,
    '',
    'Workload: 80 % of requests with a bound session, 10 % new sessions, 10 % without a session id; 1 % of accounts',
    'locked (half account-level, half for the model), 3 % disabled or proxy-disabled, quota protection on.',
    '`pick` is the pure function; `select` adds the MemoryStateStore reads and writes (1 000 000 live bindings).',
    '',
    '| accounts | pick Balance median | p99 | pick PerformanceFirst median | p99 | select median | p99 |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...result.rows.map(
      (row) =>
        `| ${row.accounts.toLocaleString('en')} | ${us(row.pickBalance.medianNs)} | ${us(row.pickBalance.p99Ns)} | ${us(row.pickPerformanceFirst.medianNs)} | ${us(row.pickPerformanceFirst.p99Ns)} | ${us(row.select.medianNs)} | ${us(row.select.p99Ns)} |`,
    ),
    '',
    `Memory: ${result.memory.bytesPerBinding.toFixed(0)} bytes per binding, ${result.memory.totalMb.toFixed(0)} MB for 1 000 000 bindings (goal ≤ 250 MB).`,
    '',
    'Goal: median pick ≤ 2 µs at 10 000 accounts.',
    '',
  ];
  return lines.join('\n');
}

await main();
