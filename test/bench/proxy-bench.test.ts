import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { createBareDispatchProxy } from '../../bench/proxy/bare-dispatch-proxy.js';
import { createBareFastifyProxy } from '../../bench/proxy/bare-fastify-proxy.js';
import { createBareProxy } from '../../bench/proxy/bare-proxy.js';
import { added, ratio } from '../../bench/proxy/comparisons.js';
import { median, percentile, summarizeLatencies } from '../../bench/proxy/latency-summary.js';
import { isFlat } from '../../bench/proxy/long-run.js';
import { isTranslationUnavailable, type RowResult, warmUp } from '../../bench/proxy/measure.js';
import { checkGoals } from '../../bench/proxy/report.js';

describe('latency percentiles', () => {
  const oneToHundred = Array.from({ length: 100 }, (_, index) => index + 1);

  it.each([
    [0.5, 50],
    [0.9, 90],
    [0.99, 99],
    [0.999, 100],
    [0, 1],
    [1, 100],
  ])('nearest rank: quantile %f of 1…100 is %i', (quantile, expected) => {
    expect(percentile(oneToHundred, quantile)).toBe(expected);
  });

  it('summarizes unsorted samples without reordering them', () => {
    const samples = [900, 100, 500, 300, 700, 200, 800, 400, 1000, 600];
    const summary = summarizeLatencies(samples);
    expect(summary).toMatchObject({ count: 10, p50: 500, p90: 900, p99: 1000, p999: 1000, max: 1000 });
    expect(summary.mean).toBe(550);
    expect(samples[0]).toBe(900);
  });

  it('a single slow request shows in p99.9 and max, not in p50', () => {
    const samples = [...Array.from({ length: 999 }, () => 200), 50_000];
    expect(summarizeLatencies(samples)).toMatchObject({ p50: 200, p99: 200, p999: 200, max: 50_000 });
    expect(summarizeLatencies([...samples, 50_000])).toMatchObject({ p999: 50_000 });
  });

  it('has no percentiles without samples', () => {
    expect(summarizeLatencies([]).p50).toBeNaN();
    expect(median([])).toBeNaN();
  });

  it('median of rounds: middle value, or the mean of the middle two', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});

/** A bare proxy started for a test: where it listens and how to stop it. */
interface StartedProxy {
  server: Server;
  close(): Promise<void>;
}

/** A node:http server as a started proxy. */
function plainServer(create: (upstream: string) => Server): (upstream: string) => Promise<StartedProxy> {
  return async (upstream) => {
    const server = create(upstream);
    return {
      server,
      close: async () => {
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
      },
    };
  };
}

const BARE_PROXIES: [string, (upstream: string) => Promise<StartedProxy>][] = [
  ['bare proxy on node:http', plainServer(createBareProxy)],
  ['bare proxy without streams', plainServer(createBareDispatchProxy)],
  [
    'bare proxy on Fastify',
    async (upstream) => {
      const app = createBareFastifyProxy(upstream);
      await app.ready();
      return {
        server: app.server,
        close: async () => {
          app.server.closeAllConnections();
          await app.close();
        },
      };
    },
  ],
];

describe.each(BARE_PROXIES)('%s', (_name, start) => {
  const started: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of started.splice(0)) await close();
  });

  async function listen(server: Server, close?: () => Promise<void>): Promise<string> {
    started.push(
      close ??
        (async () => {
          server.closeAllConnections();
          await new Promise((resolve) => server.close(resolve));
        }),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  async function listenProxy(upstream: string): Promise<string> {
    const proxy = await start(upstream);
    return listen(proxy.server, () => proxy.close());
  }

  it('forwards the re-serialized JSON body, path and credential, and relays the answer', async () => {
    const seen: { path?: string; authorization?: string; body?: string } = {};
    const upstream = await listen(
      createServer((incoming, response) => {
        let body = '';
        incoming.on('data', (chunk: Buffer) => {
          body += chunk.toString('utf8');
        });
        incoming.on('end', () => {
          Object.assign(seen, { path: incoming.url, authorization: incoming.headers.authorization, body });
          response.writeHead(201, { 'content-type': 'application/json' }).end('{"answer":42}');
        });
      }),
    );
    const proxy = await listenProxy(upstream);

    const response = await request(`${proxy}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer sk-test' },
      body: '{ "model" : "gpt-4o",\n "messages": [] }',
    });

    expect(response.statusCode).toBe(201);
    expect(response.headers['content-type']).toBe('application/json');
    expect(await response.body.text()).toBe('{"answer":42}');
    expect(seen).toEqual({
      path: '/v1/chat/completions',
      authorization: 'Bearer sk-test',
      body: '{"model":"gpt-4o","messages":[]}',
    });
  });

  it('answers 502 when the body is not JSON', async () => {
    const proxy = await listenProxy('http://127.0.0.1:9');
    const response = await request(`${proxy}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: 'not json',
    });
    expect(response.statusCode).toBe(502);
    await response.body.dump();
  });
});

describe('warm-up', () => {
  /** A load that answers the given req/s slice after slice (the last one from then on), counting its slices. */
  function slices(rates: number[]) {
    const asked: number[] = [];
    const load = async (_client: null, options: { connections: number; durationMs: number }) => {
      asked.push(options.durationMs);
      return { requestsPerSecond: rates[Math.min(asked.length, rates.length) - 1] ?? 0 };
    };
    return { asked, load };
  }
  const limits = { connections: 32, minWarmupMs: 5000, warmupMs: 10_000 };

  it('runs at least the minimum even when throughput is flat from the first slice', async () => {
    const { asked, load } = slices([1000]);
    const rates = await warmUp(null, limits, load);
    expect(asked).toEqual([1000, 1000, 1000, 1000, 1000]);
    expect(rates).toEqual([1000, 1000, 1000, 1000, 1000]);
  });

  it('without a minimum, stops after two slices that are no faster than the best before them', async () => {
    const { asked, load } = slices([500, 1000, 1050, 1000]);
    await warmUp(null, { ...limits, minWarmupMs: 0 }, load);
    expect(asked).toHaveLength(4);
  });

  it('past the minimum, goes on while throughput still rises, up to the longest warm-up', async () => {
    const { asked, load } = slices([100, 200, 300, 400, 500, 600, 700, 800, 900, 1000, 1100, 1200]);
    await warmUp(null, limits, load);
    expect(asked).toHaveLength(10);
  });
});

describe('translation rows', () => {
  it.each([
    [
      400,
      '{"error":{"message":"…","type":"invalid_request_error","param":null,"code":"unsupported_translation"}}',
      true,
    ],
    [
      400,
      '{"type":"error","error":{"type":"invalid_request_error","message":"No account of a matching protocol serves model gpt-4o-mini: anthropic requests need an account of the same protocol"}}',
      true,
    ],
    [400, '{"error":{"code":"invalid_request","message":"messages is required"}}', false],
    [503, '{"error":{"code":"unsupported_translation"}}', false],
  ])('HTTP %i %s → skipped: %s', (status, text, skipped) => {
    expect(isTranslationUnavailable(status, text)).toBe(skipped);
  });
});

describe('goals', () => {
  /** A measured row; `p50`/`p99` are given per round (round i = index i), pooled = first round. */
  function row(
    id: string,
    fields: {
      rps: number | number[];
      cpu?: number;
      p50?: number[];
      p99?: number[];
      rss?: number;
      translation?: boolean;
    },
  ): RowResult {
    const saturationRounds = typeof fields.rps === 'number' ? [fields.rps] : fields.rps;
    const rounds = (fields.p50 ?? []).map((p50, round) => ({
      ...summarizeLatencies([]),
      p50,
      p99: fields.p99?.[round] ?? p50,
      round,
    }));
    return {
      id,
      label: id,
      baseline: id === 'mock' ? null : 'mock',
      translation: fields.translation ?? false,
      outcome: 'measured',
      notes: [],
      warmup: [],
      saturation: {
        requestsPerSecond: median(saturationRounds),
        rounds: saturationRounds,
        failed: 0,
        cpuUsPerRequest: fields.cpu ?? null,
        backendCpuUsPerRequest: null,
      },
      latency: rounds[0] ? { ...rounds[0], achievedRate: 1000, failed: 0, rounds } : null,
      streamFirstByte: null,
      peakRssMb: fields.rss ?? null,
      idleRssMb: { start: null, after: null },
      firstFailure: null,
    };
  }

  it('compares Switchyard with the bare proxy, Portkey and the mock of the same run', () => {
    const rows = [
      row('mock', { rps: 20_000, p50: [150], p99: [600] }),
      row('bare-proxy', { rps: 8000, cpu: 60, p50: [400], p99: [1500] }),
      row('switchyard', { rps: 5000, cpu: 180, p50: [700], p99: [3700], rss: 120 }),
      row('portkey', { rps: 400, cpu: 900 }),
      row('switchyard-openai-to-anthropic', { rps: 4800, cpu: 198, translation: true }),
      row('switchyard-anthropic-to-openai', { rps: 4900, cpu: 225, translation: true }),
    ];
    expect(checkGoals(rows).map((goal) => [goal.measured, goal.met])).toEqual([
      ['3.00 × (180 against 60 µs)', false],
      ['63 % (by CPU time per request: 33 %)', false],
      ['12.50 × (by CPU time per request: 5.00 ×)', true],
      ['3100 µs', false],
      ['120 MB', true],
      ['not run (`--long`)', null],
      ['worst 1.25 ×', false],
    ]);
  });

  it('judges the translation goal on this build only, not on the other build of --before', () => {
    const rows = [
      row('bare-proxy', { rps: 8000, cpu: 60 }),
      row('switchyard', { rps: 5000, cpu: 200 }),
      row('switchyard-before', { rps: 5000, cpu: 190 }),
      row('switchyard-openai-to-anthropic', { rps: 4800, cpu: 230, translation: true }),
      row('switchyard-openai-to-anthropic-before', { rps: 4000, cpu: 300, translation: true }),
    ];
    expect(checkGoals(rows).at(-1)).toMatchObject({ measured: 'worst 1.15 ×', met: true });
  });

  it('judges the translation goal on the rows marked as translating, whatever their ids', () => {
    const rows = [
      row('bare-proxy', { rps: 8000, cpu: 60 }),
      row('switchyard', { rps: 5000, cpu: 200 }),
      // Not translating, although its id reads like a translation row.
      row('switchyard-redis-to-postgres', { rps: 3000, cpu: 400 }),
      row('switchyard-gemini-client', { rps: 4000, cpu: 250, translation: true }),
    ];
    expect(checkGoals(rows).at(-1)).toMatchObject({ measured: 'worst 1.25 ×', met: false });
  });

  it('added latency is the median of same-round differences, so one disturbed round does not decide it', () => {
    const mock = row('mock', { rps: 20_000, p50: [150, 160, 900, 155], p99: [600, 650, 40_000, 620] });
    const switchyard = row('switchyard', {
      rps: 5000,
      p50: [450, 480, 30_000, 470],
      p99: [2000, 2200, 90_000, 2100],
    });
    expect(added([mock, switchyard], switchyard, 'p50')).toBe(317.5);
    expect(added([mock, switchyard], switchyard, 'p99')).toBe(1515);
  });

  it('the long row is flat when its last RSS sample is within 10 % of the one at 20 s', () => {
    const samples = (values: number[]) => values.map((rssMb, index) => ({ atMs: index * 5000, rssMb }));
    expect(isFlat(samples([90, 120, 130, 131, 140, 143]), 20_000)).toBe(true);
    expect(isFlat(samples([90, 120, 130, 131, 140, 160]), 20_000)).toBe(false);
    expect(isFlat(samples([90, 120]), 20_000)).toBeNull();
  });

  it('saturation ratio is the median of same-round ratios', () => {
    const bare = row('bare-proxy', { rps: [8000, 10_000, 2000, 9000] });
    const switchyard = row('switchyard', { rps: [4000, 4000, 1800, 4500] });
    expect(ratio(switchyard, bare)).toBe(0.5);
  });

  it('leaves a goal open when a number it needs was not measured', () => {
    const goals = checkGoals([row('bare-proxy', { rps: 8000 }), row('switchyard', { rps: 6000 })]);
    expect(goals.map((goal) => goal.met)).toEqual([null, true, null, null, null, null, null]);
  });
});
