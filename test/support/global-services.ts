/**
 * vitest `globalSetup`: one Redis and one PostgreSQL for the whole run, started before the first
 * test file and stopped after the last. Test files read their URLs with
 * `inject('redisUrl')` and `inject('postgresUrl')` (typed below) and isolate themselves with
 * `createDatabase(inject('postgresUrl'))` or `redisKeyPrefix()` from `services.ts`.
 */
import type { TestProject } from 'vitest/node';
import { startPostgres, startRedis, type TestService } from './services.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** `redis://127.0.0.1:PORT` of the run's shared Redis (database 0, no persistence). */
    redisUrl: string;
    /** `postgres://postgres@127.0.0.1:PORT/postgres` of the run's shared PostgreSQL cluster. */
    postgresUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const [redis, postgres] = await Promise.allSettled([startRedis(), startPostgres()]);
  const started = [redis, postgres].flatMap((result) =>
    result.status === 'fulfilled' ? [result.value] : [],
  );
  const stopAll = async () => {
    await Promise.all(started.map((service: TestService) => service.dispose()));
  };
  if (redis.status === 'rejected' || postgres.status === 'rejected') {
    await stopAll();
    throw redis.status === 'rejected' ? redis.reason : (postgres as PromiseRejectedResult).reason;
  }
  project.provide('redisUrl', redis.value.url);
  project.provide('postgresUrl', postgres.value.url);
  return stopAll;
}
