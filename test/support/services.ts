/**
 * Throwaway Redis and PostgreSQL servers for tests (and for `npm run bench:proxy`, whose
 * Redis + PostgreSQL rows start theirs with this code): real servers from the Debian packages, on
 * 127.0.0.1 and a free port, with their files in a temporary directory that `dispose()` removes.
 *
 * The whole run shares one of each, started by `global-services.ts` (vitest `globalSetup`); tests
 * read their URLs with `inject('redisUrl')` / `inject('postgresUrl')` and isolate themselves with
 * `createDatabase(url)` or `redisKeyPrefix()`. Fault tests start private servers with
 * `startRedis()` / `startPostgres()` and stop, kill, freeze and restart them at will.
 * See test/support/README.md.
 */
import { randomBytes } from 'node:crypto';
import { chown, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import {
  answers,
  findBinary,
  freePort,
  isAlive,
  isRoot,
  killOnExit,
  runCommand,
  signalTree,
  spawnServer,
  waitFor,
} from './service-processes.js';

/** What every throwaway server can do. All methods may be called in any state. */
export interface TestService {
  /** `redis://127.0.0.1:PORT` or `postgres://postgres@127.0.0.1:PORT/postgres`. */
  readonly url: string;
  readonly port: number;
  /** Whether the server process is running (frozen counts as running). */
  readonly running: boolean;
  /** The server's main process (PostgreSQL: the postmaster, parent of its backends); null when stopped. */
  readonly pid: number | null;
  /** (Re)starts the server on the same port and files; resolves once it answers. */
  start(): Promise<void>;
  /** Stops it gracefully (PostgreSQL: `pg_ctl stop -m fast`), keeping its files for `start()`. */
  stop(): Promise<void>;
  /** SIGKILLs every process of the server, as a crash would; `start()` brings it back. */
  kill(): Promise<void>;
  /** SIGSTOPs every process of the server: connections stay open and nothing answers. */
  freeze(): void;
  /** SIGCONTs what `freeze` stopped. */
  thaw(): void;
  /** Kills it if still running and removes its temporary directory. Call it in `afterAll`. */
  dispose(): Promise<void>;
}

export interface PostgresService extends TestService {
  /** Creates an empty database `t_<random>` and returns its URL. */
  createDatabase(): Promise<string>;
}

/**
 * Starts `redis-server` without persistence (`--save "" --appendonly no`), bound to 127.0.0.1 on a
 * free port, in a temporary directory. A restart after `stop` or `kill` therefore starts empty,
 * exactly as a real Redis without persistence does after a crash.
 */
export async function startRedis(): Promise<TestService> {
  const binary = findBinary('redis-server');
  const directory = await mkdtemp(path.join(tmpdir(), 'switchyard-redis-'));
  const port = await freePort();
  let server: ReturnType<typeof spawnServer> | null = null;
  let exited: Promise<void> = Promise.resolve();
  const pid = () => {
    const child = server?.child;
    return child && child.exitCode === null && child.signalCode === null ? (child.pid ?? null) : null;
  };
  const forget = killOnExit(pid);
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
  args.push('--dir', directory, '--protected-mode', 'no', '--loglevel', 'warning');

  const service: TestService = {
    url: `redis://127.0.0.1:${port}`,
    port,
    get running() {
      return pid() !== null;
    },
    get pid() {
      return pid();
    },
    async start() {
      if (pid() !== null) return;
      const started = spawnServer(binary, args, { cwd: directory });
      server = started;
      exited = new Promise((resolve) => started.child.once('exit', () => resolve()));
      await waitFor(`redis-server on port ${port} (output: ${started.output()})`, async () => {
        if (started.child.exitCode !== null || started.child.signalCode !== null)
          throw new Error(`redis-server exited: ${started.output()}`);
        return answers(port, 'PING\r\n', '+PONG');
      });
    },
    async stop() {
      const current = pid();
      if (current === null) return;
      signalTree(current, 'SIGCONT');
      signalTree(current, 'SIGTERM');
      await exited;
    },
    async kill() {
      const current = pid();
      if (current === null) return;
      signalTree(current, 'SIGKILL');
      await exited;
    },
    freeze() {
      const current = pid();
      if (current !== null) signalTree(current, 'SIGSTOP');
    },
    thaw() {
      const current = pid();
      if (current !== null) signalTree(current, 'SIGCONT');
    },
    async dispose() {
      await service.kill();
      forget();
      await rm(directory, { recursive: true, force: true });
    },
  };
  await service.start();
  return service;
}

/**
 * Creates a PostgreSQL cluster with `initdb` (trust authentication, user `postgres`, UTF-8, no
 * fsync: the data is thrown away) in a temporary directory and starts it with `pg_ctl` on a free
 * port, listening on 127.0.0.1 only, its unix socket in the same directory. As root, both run as
 * the `postgres` user, which owns the directory.
 */
export async function startPostgres(): Promise<PostgresService> {
  const initdb = findBinary('initdb');
  const pgCtl = findBinary('pg_ctl');
  const directory = await mkdtemp(path.join(tmpdir(), 'switchyard-postgres-'));
  if (isRoot) await chownToPostgres(directory);
  const dataDir = path.join(directory, 'data');
  const port = await freePort();
  await runCommand(
    initdb,
    ['-D', dataDir, '--auth=trust', '--username=postgres', '--encoding=UTF8', '--locale=C', '--no-sync'],
    { asPostgres: true },
  );
  let postmaster: number | null = null;
  const pid = () => (postmaster !== null && isAlive(postmaster) ? postmaster : null);
  const forget = killOnExit(pid);
  const settings = [
    `-p ${port}`,
    `-k ${directory}`,
    '-c listen_addresses=127.0.0.1',
    '-c fsync=off',
    '-c synchronous_commit=off',
    '-c full_page_writes=off',
    '-c max_connections=200',
  ].join(' ');
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;

  const service: PostgresService = {
    url,
    port,
    get running() {
      return pid() !== null;
    },
    get pid() {
      return pid();
    },
    async start() {
      if (pid() !== null) return;
      const log = path.join(directory, 'postgres.log');
      try {
        await runCommand(pgCtl, ['start', '-D', dataDir, '-w', '-t', '60', '-l', log, '-o', settings], {
          asPostgres: true,
        });
      } catch (error) {
        const tail = await readFile(log, 'utf8').catch(() => '');
        throw new Error(`${(error as Error).message}\npostgres.log:\n${tail.slice(-4000)}`);
      }
      postmaster = Number((await readFile(path.join(dataDir, 'postmaster.pid'), 'utf8')).split('\n')[0]);
    },
    async stop() {
      const current = pid();
      if (current === null) return;
      signalTree(current, 'SIGCONT');
      await runCommand(pgCtl, ['stop', '-D', dataDir, '-m', 'fast', '-w', '-t', '60'], { asPostgres: true });
      postmaster = null;
    },
    async kill() {
      const current = pid();
      if (current === null) return;
      signalTree(current, 'SIGKILL');
      await waitFor('the killed postmaster to exit', () => !isAlive(current));
      postmaster = null;
    },
    freeze() {
      const current = pid();
      if (current !== null) signalTree(current, 'SIGSTOP');
    },
    thaw() {
      const current = pid();
      if (current !== null) signalTree(current, 'SIGCONT');
    },
    async dispose() {
      await service.kill();
      forget();
      await rm(directory, { recursive: true, force: true });
    },
    createDatabase: () => createDatabase(url),
  };
  try {
    await service.start();
  } catch (error) {
    await service.dispose();
    throw error;
  }
  return service;
}

/**
 * Creates an empty database `t_<random>` on the server of `serverUrl` (any database URL of it)
 * and returns the URL of the new one. Each test file or test gets its own; the cluster is thrown
 * away at the end of the run, so nobody drops them.
 */
export async function createDatabase(serverUrl: string): Promise<string> {
  const name = `t_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    // FILE_COPY (PostgreSQL 15+) is 3x faster than the default for a tiny database with fsync off.
    await client
      .query(`create database ${name} strategy file_copy`)
      .catch(() => client.query(`create database ${name}`));
  } finally {
    await client.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** A key prefix no other test uses (`t:<random>:`), to share one Redis between test files. */
export function redisKeyPrefix(): string {
  return `t:${randomBytes(6).toString('hex')}:`;
}

async function chownToPostgres(directory: string): Promise<void> {
  const passwd = await readFile('/etc/passwd', 'utf8');
  const entry = passwd.split('\n').find((line) => line.startsWith('postgres:'));
  if (!entry) {
    throw new Error(
      'Running as root, the PostgreSQL test cluster must run as the "postgres" user, which does not exist. ' +
        'Install it with:\n  apt-get update && apt-get install -y postgresql',
    );
  }
  const [, , uid, gid] = entry.split(':');
  await chown(directory, Number(uid), Number(gid));
}
