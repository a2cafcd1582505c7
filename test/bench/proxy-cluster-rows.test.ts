/**
 * The Redis + PostgreSQL rows of bench:proxy: which rows `--only` and `--no-cluster` select, the
 * load spread round robin over a cluster's instances, their CPU summed, and the cluster table's
 * figures and goals (issue 11).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { checkCluster } from '../../bench/proxy/cluster-report.js';
import { summarizeLatencies } from '../../bench/proxy/latency-summary.js';
import { LoadClient } from '../../bench/proxy/load-generator.js';
import type { RowResult } from '../../bench/proxy/measure.js';
import { processSet, type ServerProcess } from '../../bench/proxy/process-group.js';
import { selectScenarios } from '../../bench/proxy/scenarios.js';

describe('row selection', () => {
  const ids = (options: { only?: string; cluster: boolean }) =>
    selectScenarios({ only: options.only, before: undefined, cluster: options.cluster }).map((row) => row.id);

  it('the three-instance row brings the one-instance rows it is compared with, and their baselines', () => {
    expect(ids({ only: 'switchyard-three-instances', cluster: true })).toEqual([
      'mock',
      'bare-proxy',
      'switchyard',
      'switchyard-redis-postgres',
      'switchyard-three-instances',
    ]);
  });

  it('--no-cluster leaves out exactly the rows that need Redis and PostgreSQL', () => {
    const all = ids({ cluster: true });
    const without = ids({ cluster: false });
    expect(all.filter((id) => !without.includes(id))).toEqual([
      'switchyard-redis-postgres',
      'switchyard-three-instances',
    ]);
    expect(without).toContain('switchyard');
  });

  it('--before runs the pass-through and translation rows again on the other build, each after its own', () => {
    const rows = selectScenarios({
      only: 'switchyard,switchyard-anthropic-to-openai',
      before: '/builds/main',
      cluster: false,
    });
    expect(rows.map((row) => row.id)).toEqual([
      'mock',
      'bare-proxy',
      'switchyard',
      'switchyard-before',
      'switchyard-anthropic-to-openai',
      'switchyard-anthropic-to-openai-before',
    ]);
    const before = rows.find((row) => row.id === 'switchyard-anthropic-to-openai-before');
    expect(before?.target).toEqual({ kind: 'switchyard', accounts: 'openai', root: '/builds/main' });
    expect(before?.client).toBe('anthropic');
  });

  it('names a row --only cannot find', () => {
    expect(() => ids({ only: 'switchyard,nope', cluster: true })).toThrow(/no row nope/);
    expect(() => ids({ only: 'switchyard-redis-postgres', cluster: false })).toThrow(
      /no row switchyard-redis-postgres/,
    );
  });
});

describe('a target of several instances', () => {
  const servers: Server[] = [];
  afterEach(async () => {
    for (const server of servers.splice(0)) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  /** A server answering 200 (or `status`) and counting its requests. */
  async function counting(status = 200): Promise<{ origin: string; hits: () => number }> {
    let hits = 0;
    const server = createServer((request, response) => {
      hits++;
      request.resume();
      request.on('end', () => response.writeHead(status).end('Hello!'));
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits: () => hits };
  }

  function client(origins: string[]): LoadClient {
    const body = Buffer.from('{}');
    return new LoadClient({ origins, path: '/', headers: {}, bodies: [body], streamBodies: [body] }, 4);
  }

  it('sends request i to instance i mod n', async () => {
    const instances = [await counting(), await counting(), await counting()];
    const load = client(instances.map((instance) => instance.origin));
    for (let index = 0; index < 7; index++) expect((await load.send(index)).ok).toBe(true);
    await load.close();
    expect(instances.map((instance) => instance.hits())).toEqual([3, 2, 2]);
  });

  it('the probe asks every instance and reports the one that fails', async () => {
    const instances = [await counting(), await counting(503), await counting()];
    const load = client(instances.map((instance) => instance.origin));
    expect((await load.probe(false)).status).toBe(503);
    await load.close();
    expect(instances.map((instance) => instance.hits())).toEqual([1, 1, 0]);
  });

  it('counts the CPU time and memory of all its processes', () => {
    const member = (pid: number, cpu: number | null): ServerProcess => ({
      name: 'instance',
      pid,
      ready: null,
      peakRssMb: () => 100,
      rssMb: () => 80,
      cpuSeconds: () => cpu,
      output: () => '',
      stop: async () => {},
    });
    const set = processSet('three', [member(11, 1.5), member(12, 2), member(13, 0.25)]);
    expect([set.cpuSeconds(), set.rssMb(), set.peakRssMb(), set.pid]).toEqual([3.75, 240, 300, 11]);
    expect(set.name).toBe('three (pids 11, 12, 13)');
    expect(processSet('two', [member(11, 1), member(12, null)]).cpuSeconds()).toBeNull();
  });
});

describe('cluster table', () => {
  function row(
    id: string,
    fields: { rps: number[]; cpu: number; backend?: number; p50?: number[]; p99?: number[] },
  ): RowResult {
    const rounds = (fields.p50 ?? []).map((p50, round) => ({
      ...summarizeLatencies([]),
      p50,
      p99: fields.p99?.[round] ?? p50,
      round,
    }));
    return {
      id,
      label: id,
      baseline: 'mock',
      translation: false,
      outcome: 'measured',
      notes: [],
      warmup: [],
      saturation: {
        requestsPerSecond: fields.rps[0] ?? 0,
        rounds: fields.rps,
        failed: 0,
        cpuUsPerRequest: fields.cpu,
        backendCpuUsPerRequest: fields.backend ?? null,
      },
      latency: rounds[0] ? { ...rounds[0], achievedRate: 1000, failed: 0, rounds } : null,
      streamFirstByte: null,
      peakRssMb: null,
      idleRssMb: { start: null, after: null },
      firstFailure: null,
    };
  }

  it('Redis + PostgreSQL against memory + SQLite: same-round latency differences and the CPU ratio, against the goals', () => {
    const rows = [
      row('switchyard', {
        rps: [4000, 4000, 4000],
        cpu: 200,
        p50: [500, 520, 9000],
        p99: [900, 950, 20_000],
      }),
      row('switchyard-redis-postgres', {
        rps: [3600, 3500, 3800],
        cpu: 236,
        backend: 40,
        p50: [800, 900, 1000],
        p99: [1500, 1700, 2000],
      }),
      row('switchyard-three-instances', { rps: [5400, 7000, 5700], cpu: 300, backend: 45 }),
    ];
    expect(checkCluster(rows).map((line) => [line.measured, line.met])).toEqual([
      ['300 µs', true],
      ['600 µs', null],
      ['236 against 200 µs: +18 %', false],
      ['40 µs; with the instance’s, 276 against 200 µs: +38 %', null],
      ['5,400 req/s: 1.50 × one instance on Redis + PostgreSQL (g), 1.43 × one on memory + SQLite (c)', null],
      ['300 against 236 µs (Redis + PostgreSQL: 45 against 40 µs)', null],
    ]);
  });

  it('misses the p50 goal when Redis + PostgreSQL adds more than 500 µs in most rounds', () => {
    const rows = [
      row('switchyard', { rps: [4000, 4000], cpu: 200, p50: [500, 520] }),
      row('switchyard-redis-postgres', { rps: [3600, 3500], cpu: 210, p50: [1100, 1000] }),
    ];
    expect(checkCluster(rows).map((line) => [line.measured, line.met])[0]).toEqual(['540 µs', false]);
  });

  it('leaves the goals open when the latency was not measured, and is empty without the shared rows', () => {
    const memory = row('switchyard', { rps: [4000], cpu: 200 });
    const shared = row('switchyard-redis-postgres', { rps: [3000], cpu: 220 });
    expect(checkCluster([memory, shared]).map((line) => line.met)).toEqual([null, null, true, null]);
    expect(checkCluster([memory])).toEqual([]);
  });
});
