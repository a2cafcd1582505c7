/**
 * Three `switchyard start` processes under steady client load while their Redis is killed or
 * frozen, or their PostgreSQL is stopped: no client request fails, requests keep completing during
 * the fault (none waits for the dead server), and once it is back every instance converges: a
 * rate-limit lock one instance learned during the outage keeps all three off that account. Private
 * Redis and PostgreSQL servers, started and disposed of here; each case is bounded (a few hundred
 * requests, well under 30 s).
 */
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { systemClock } from '../../src/core/clock.js';
import {
  type ClusterInstance,
  type GatewayCluster,
  startGatewayCluster,
} from '../support/gateway-cluster.js';
import { pick } from '../support/http-call.js';
import { type MockUpstream, rateLimited, startMockUpstream } from '../support/mock-upstream.js';
import { sampleChat } from '../support/sample-requests.js';
import {
  type PostgresService,
  redisKeyPrefix,
  startPostgres,
  startRedis,
  type TestService,
} from '../support/services.js';

const KEYS = ['sk-a', 'sk-b', 'sk-c'];
/** The configured Redis command timeout: short, as in production (the default is 50 ms). */
const COMMAND_TIMEOUT_MS = 200;
/** How long Redis stays frozen (the SIGSTOP of 5 s). */
const FREEZE_MS = 5000;
/**
 * The longest a request may take during a fault: the Redis command timeout plus the upstream's own
 * time (the mock answers at once), widened tenfold for a machine shared by many test runs. A
 * request that waited for the frozen or dead server would take the whole outage.
 */
const SLOWEST_MS = 10 * COMMAND_TIMEOUT_MS;
/** Recovery is awaited, bounded generously (the instances retry Redis every second). */
const RECOVERY = { timeout: 20_000, interval: 100 };

let upstream: MockUpstream;
let redis: TestService;
let postgres: PostgresService;
let cluster: GatewayCluster | undefined;
let nodes: ClusterInstance[] = [];
/** The cluster's database on the private PostgreSQL. */
let database: string;

// One cluster for the file (starting three processes is the slow part); every test leaves its
// servers running and the cluster converged, without locks.
beforeAll(async () => {
  [upstream, redis, postgres] = await Promise.all([startMockUpstream(), startRedis(), startPostgres()]);
  database = await postgres.createDatabase();
  cluster = await startGatewayCluster({
    redisUrl: redis.url,
    keyPrefix: redisKeyPrefix(),
    postgresUrl: database,
    secretKey: 'f'.repeat(64),
    commandTimeoutMs: COMMAND_TIMEOUT_MS,
    proxy: { scheduling: { mode: 'PerformanceFirst' } },
  });
  nodes = cluster.instances;
  for (const key of KEYS) {
    const body = {
      provider: 'openai',
      email: `${key}@example.com`,
      api_key: key,
      base_url: `${upstream.url}/v1`,
    };
    expect((await nodes[0]!.call('/api/accounts', { body })).status).toBe(201);
  }
  for (const node of nodes) {
    await vi.waitFor(
      async () =>
        expect(pick((await node.call('/api/proxy/status')).json, 'total_accounts')).toBe(KEYS.length),
      RECOVERY,
    );
  }
}, 120_000);
afterAll(async () => {
  await cluster?.stop();
  await Promise.all([upstream?.close(), redis?.dispose(), postgres?.dispose()]);
}, 60_000);
afterEach(async () => {
  redis.thaw();
  await redis.start();
  await postgres.start();
  for (const node of nodes) await vi.waitFor(async () => expect(await healthy(node)).toBe(true), RECOVERY);
  expect((await nodes[0]!.call('/api/proxy/rate-limits', { method: 'DELETE' })).status).toBe(200);
  for (const node of nodes) {
    await vi.waitFor(
      async () => expect(pick((await node.call('/api/proxy/status')).json, 'active_locks')).toBe(0),
      RECOVERY,
    );
  }
  upstream.reset();
}, 60_000);

/** Whether `node` answers on Redis and its store (neither degraded). */
async function healthy(node: ClusterInstance): Promise<boolean> {
  const status = (await node.call('/api/proxy/status')).json;
  return pick(status, 'state_degraded') === false && pick(status, 'store_degraded') === false;
}

/** One finished client request. */
interface Outcome {
  instance: number;
  startedAt: number;
  endedAt: number;
  /** The HTTP status, or the connection error. */
  result: number | string;
}

/**
 * Client load: `workers` loops, each sending one chat request at a time to the instances in turn,
 * until `stop()`, at most `limit` requests in all. Every outcome is kept.
 */
function startLoad(options = { workers: 3, limit: 1500 }) {
  const outcomes: Outcome[] = [];
  let stopped = false;
  let sent = 0;
  const worker = async (offset: number) => {
    for (let turn = offset; !stopped && sent < options.limit; turn++) {
      sent++;
      const node = nodes[turn % nodes.length]!;
      const startedAt = systemClock.now();
      const result = await node
        .call('/v1/chat/completions', { body: sampleChat(`load ${offset} ${turn}`) })
        .then((answer) => (answer.status === 200 ? 200 : `${answer.status} ${answer.text}`))
        .catch((error: Error) => error.message);
      outcomes.push({ instance: node.index, startedAt, endedAt: systemClock.now(), result });
      // A short pause between requests keeps four processes from starving the shared cores.
      await systemClock.sleep(10);
    }
  };
  const running = Promise.all(Array.from({ length: options.workers }, (_, offset) => worker(offset)));
  return {
    outcomes,
    /** Resolves once `count` more requests have finished. */
    async waitFor(count: number) {
      const target = outcomes.length + count;
      await vi.waitFor(() => expect(outcomes.length).toBeGreaterThanOrEqual(target), RECOVERY);
    },
    async stop(): Promise<Outcome[]> {
      stopped = true;
      await running;
      return outcomes;
    },
  };
}

/** Scripts one 429 for sk-a and waits, under the load, until an instance has received it. */
async function rateLimitSkADuring(load: ReturnType<typeof startLoad>): Promise<void> {
  upstream.script('sk-a', rateLimited({ retryAfter: '600' }));
  await vi.waitFor(() => expect(upstream.pending('sk-a')).toBe(0), RECOVERY);
  await load.waitFor(6);
}

/** Every instance answers on Redis and its store again, and lists the lock on sk-a. */
async function expectConverged(): Promise<void> {
  for (const node of nodes) {
    await vi.waitFor(async () => {
      expect(await healthy(node)).toBe(true);
      const locks = (await node.call('/api/proxy/rate-limits')).json;
      expect(pick(locks, 'rate_limits', 0, 'account_email')).toBe('sk-a@example.com');
    }, RECOVERY);
  }
  // And the lock holds in practice: a round of requests on every instance sends sk-a nothing.
  const before = upstream.hits('sk-a');
  for (let turn = 0; turn < 12; turn++) {
    const answer = await nodes[turn % nodes.length]!.call('/v1/chat/completions', {
      body: sampleChat(`after ${turn}`),
    });
    expect(answer.status, answer.text).toBe(200);
  }
  expect(upstream.hits('sk-a')).toBe(before);
}

/**
 * Requests kept completing on every instance between `from` and `to` (the fault), and none waited
 * for the dead server: every request that started while it was gone, at least `SLOWEST_MS` before
 * it came back, had finished by then. A request stuck on the server until it returned would fail
 * this; five per instance is a generous floor (hundreds finish when nothing waits).
 */
function expectServedThroughout(context: { outcomes: Outcome[]; from: number; to: number }) {
  const { outcomes, from, to } = context;
  const during = outcomes.filter((outcome) => outcome.startedAt >= from && outcome.endedAt < to);
  for (const node of nodes) {
    expect(during.filter((outcome) => outcome.instance === node.index).length).toBeGreaterThanOrEqual(5);
  }
  const early = outcomes.filter(
    (outcome) => outcome.startedAt >= from && outcome.startedAt <= to - SLOWEST_MS,
  );
  expect(early.filter((outcome) => outcome.endedAt >= to)).toEqual([]);
}

function failures(outcomes: Outcome[]): Outcome[] {
  return outcomes.filter((outcome) => outcome.result !== 200);
}

describe('three gateway processes under load when a backing server fails', () => {
  it('fail no request while Redis is killed, and share the lock learned meanwhile once it is back', async () => {
    const load = startLoad();
    await load.waitFor(30);
    await redis.kill();
    const killedAt = systemClock.now();
    await rateLimitSkADuring(load);
    for (const node of nodes) {
      await vi.waitFor(
        async () => expect(pick((await node.call('/api/proxy/status')).json, 'state_degraded')).toBe(true),
        RECOVERY,
      );
    }
    await load.waitFor(30);
    const restartedAt = systemClock.now();
    await redis.start();
    await load.waitFor(30);
    const outcomes = await load.stop();
    expect(failures(outcomes)).toEqual([]);
    expectServedThroughout({ outcomes, from: killedAt, to: restartedAt });
    await expectConverged();
  }, 60_000);

  it('fail no request and keep serving on every instance while Redis is frozen, then converge', async () => {
    const load = startLoad();
    await load.waitFor(30);
    redis.freeze();
    const frozenAt = systemClock.now();
    await rateLimitSkADuring(load);
    await systemClock.sleep(Math.max(0, frozenAt + FREEZE_MS - systemClock.now()));
    const thawedAt = systemClock.now();
    redis.thaw();
    await load.waitFor(30);
    const outcomes = await load.stop();
    expect(failures(outcomes)).toEqual([]);
    expectServedThroughout({ outcomes, from: frozenAt, to: thawedAt });
    await expectConverged();
  }, 60_000);

  it('fail no request while PostgreSQL is stopped, share a lock set meanwhile, and log every request once it is back', async () => {
    const load = startLoad();
    await load.waitFor(30);
    await postgres.stop();
    const stoppedAt = systemClock.now();
    await rateLimitSkADuring(load);
    const refused = await nodes[1]!.call('/api/accounts', {
      body: {
        provider: 'openai',
        email: 'sk-d@example.com',
        api_key: 'sk-d',
        base_url: `${upstream.url}/v1`,
      },
    });
    expect(refused.status).toBe(503);
    await load.waitFor(30);
    const restartedAt = systemClock.now();
    await postgres.start();
    await load.waitFor(30);
    const outcomes = await load.stop();
    expect(failures(outcomes)).toEqual([]);
    expectServedThroughout({ outcomes, from: stoppedAt, to: restartedAt });
    await expectConverged();
    // The request-log rows held during the outage are written once it is back: every request is there
    // (the load, and the round of requests in expectConverged).
    const since = Math.min(...outcomes.map((outcome) => outcome.startedAt));
    await vi.waitFor(
      async () => expect(await loggedSuccesses(database, since)).toBe(outcomes.length + 12),
      RECOVERY,
    );
  }, 60_000);
});

/** How many successful requests the request log in the database at `url` holds since `since` (epoch ms). */
async function loggedSuccesses(url: string, since: number): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const query = 'select count(*)::int as n from request_logs where status = 200 and time >= $1';
    return (await client.query<{ n: number }>(query, [since])).rows[0]?.n ?? 0;
  } finally {
    await client.end();
  }
}
