import { readFileSync } from 'node:fs';
import { Socket } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { processTree } from './service-processes.js';
import {
  createDatabase,
  type PostgresService,
  redisKeyPrefix,
  startPostgres,
  startRedis,
  type TestService,
} from './services.js';

/** Sends one inline Redis command and returns the first reply line. */
function redisCommand(url: string, command: string): Promise<string> {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = new Socket();
    socket.on('error', reject);
    socket.on('data', (chunk) => {
      socket.destroy();
      resolve(chunk.toString('utf8').split('\r\n')[0] ?? '');
    });
    socket.connect(Number(port), '127.0.0.1', () => socket.write(`${command}\r\n`));
  });
}

async function postgresQuery(url: string, text: string): Promise<unknown[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text)).rows;
  } finally {
    await client.end();
  }
}

describe('the shared services of the run', () => {
  it('hands every test file a Redis and a PostgreSQL that answer', async () => {
    expect(await redisCommand(inject('redisUrl'), 'PING')).toBe('+PONG');
    expect(await postgresQuery(inject('postgresUrl'), 'select 1 as one')).toEqual([{ one: 1 }]);
  });

  it('gives each caller its own empty database and key prefix', async () => {
    const first = await createDatabase(inject('postgresUrl'));
    const second = await createDatabase(inject('postgresUrl'));
    await postgresQuery(first, 'create table only_here (x int)');

    expect(first).not.toBe(second);
    expect(await postgresQuery(second, "select to_regclass('only_here') as found")).toEqual([
      { found: null },
    ]);
    expect(redisKeyPrefix()).not.toBe(redisKeyPrefix());
  });
});

describe('a private Redis for fault tests', () => {
  let redis: TestService;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(() => redis.dispose());

  it('stops answering when killed and answers again, empty, after start', async () => {
    expect(await redisCommand(redis.url, 'SET k v')).toBe('+OK');
    expect(readFileSync(`/proc/${redis.pid}/comm`, 'utf8').trim()).toBe('redis-server');
    await redis.kill();
    expect(redis.running).toBe(false);
    expect(redis.pid).toBeNull();
    await expect(redisCommand(redis.url, 'PING')).rejects.toThrow(/ECONNREFUSED/);

    await redis.start();
    expect(await redisCommand(redis.url, 'GET k')).toBe('$-1');
  });
});

describe('a private PostgreSQL for fault tests', () => {
  let postgres: PostgresService;
  beforeAll(async () => {
    postgres = await startPostgres();
  });
  afterAll(() => postgres.dispose());

  it('listens on 127.0.0.1 only and keeps its data across stop and start', async () => {
    const url = await postgres.createDatabase();
    await postgresQuery(url, 'create table kept (x int); insert into kept values (42)');
    expect(await postgresQuery(url, 'show listen_addresses')).toEqual([{ listen_addresses: '127.0.0.1' }]);

    await postgres.stop();
    expect(postgres.running).toBe(false);
    await expect(postgresQuery(url, 'select 1')).rejects.toThrow(/ECONNREFUSED/);

    await postgres.start();
    expect(await postgresQuery(url, 'select x from kept')).toEqual([{ x: 42 }]);
  });

  it('freezes: an open connection gets no answer until thawed', async () => {
    const client = new pg.Client({ connectionString: postgres.url });
    await client.connect();
    postgres.freeze();
    let answered = false;
    const query = client.query('select 7 as seven').then((result) => {
      answered = true;
      return result.rows;
    });
    // A round trip on a second connection proves time passed without an answer on the first.
    await expect(
      new pg.Client({ connectionString: postgres.url, connectionTimeoutMillis: 300 }).connect(),
    ).rejects.toThrow();
    expect(answered).toBe(false);

    postgres.thaw();
    expect(await query).toEqual([{ seven: 7 }]);
    await client.end();
  });

  it('names the postmaster, whose descendants include the backend of each connection', async () => {
    const client = new pg.Client({ connectionString: postgres.url });
    await client.connect();
    const { rows } = await client.query<{ pid: number }>('select pg_backend_pid() as pid');
    expect(postgres.pid).not.toBeNull();
    expect(processTree(postgres.pid as number)).toContain(rows[0]?.pid);
    await client.end();
  });

  it('comes back after a SIGKILL of every process', async () => {
    await postgres.kill();
    expect(postgres.running).toBe(false);
    await postgres.start();
    expect(await postgresQuery(postgres.url, 'select 2 as two')).toEqual([{ two: 2 }]);
  });
});
