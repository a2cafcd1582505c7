import { processTree } from '../../test/support/service-processes.js';
import {
  createDatabase,
  redisKeyPrefix,
  startPostgres,
  startRedis,
  type TestService,
} from '../../test/support/services.js';
import { readCpuSeconds } from './process-group.js';
import type { SharedServices } from './targets.js';

/** The running throwaway servers and how to remove them. */
export interface StartedServices {
  services: SharedServices;
  /** Kills both servers and removes their temporary directories. */
  dispose(): Promise<void>;
}

/**
 * Starts a throwaway `redis-server` and PostgreSQL cluster (`initdb` and `pg_ctl` into temporary
 * directories, free ports on 127.0.0.1, as the `postgres` user when run as root) with the same code
 * as the test suite (`test/support/services.ts`). When either is missing it fails with the exact
 * install command, and says how to run without them.
 */
export async function startSharedServices(): Promise<StartedServices> {
  const [redis, postgres] = await Promise.allSettled([startRedis(), startPostgres()]);
  const started = [redis, postgres].flatMap((result) =>
    result.status === 'fulfilled' ? [result.value] : [],
  );
  const dispose = async () => {
    await Promise.all(started.map((service) => service.dispose()));
  };
  if (redis.status === 'rejected' || postgres.status === 'rejected') {
    await dispose();
    const reason = redis.status === 'rejected' ? redis.reason : (postgres as PromiseRejectedResult).reason;
    throw new Error(
      `the Redis + PostgreSQL rows need a local redis-server and PostgreSQL: ${(reason as Error).message}\n` +
        'Or skip those rows with --no-cluster.',
    );
  }
  const postgresUrl = postgres.value.url;
  return {
    services: {
      redisUrl: redis.value.url,
      newDatabase: () => createDatabase(postgresUrl),
      newKeyPrefix: () => `bench:${redisKeyPrefix()}`,
      cpuSeconds: () => treeCpuSeconds([redis.value, postgres.value]),
    },
    dispose,
  };
}

/**
 * CPU time so far of the servers' processes and their children (PostgreSQL's connection backends
 * and background workers). A process that exited meanwhile takes its time with it; the gateways
 * keep their connections open, so under load that is rare. Null when a server is not running.
 */
function treeCpuSeconds(services: readonly TestService[]): number | null {
  let total = 0;
  for (const service of services) {
    if (service.pid === null) return null;
    for (const pid of processTree(service.pid)) total += readCpuSeconds(pid) ?? 0;
  }
  return total;
}
