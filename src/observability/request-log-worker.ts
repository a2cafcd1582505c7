/**
 * The request log worker thread's entry point (started by `RequestLogThread`): opens its own
 * connection to the store database named in `workerData` and serves the request log there, so
 * building statements and committing them never runs on the gateway's event loop.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { systemClock } from '../core/clock.js';
import { systemIds } from '../core/ids.js';
import type { OpenedDatabase } from '../store/opened-database.js';
import { RequestLogStore } from '../store/request-log-store.js';
import type { StoreLocation } from '../store/store-location.js';
import { type RequestLogServiceSettings, serveRequestLog } from './request-log-service.js';

/** What `RequestLogThread` passes as `workerData`. */
export interface RequestLogWorkerData {
  location: StoreLocation;
  settings: RequestLogServiceSettings;
}

/**
 * The gateway thread has migrated the database already: this connection only writes rows. Only
 * the backend's own modules are loaded (each costs the thread memory and start-up time).
 */
async function openDatabase(location: StoreLocation): Promise<OpenedDatabase> {
  if (location.backend === 'sqlite') {
    const { openSqliteDatabase } = await import('../store/sqlite-database.js');
    return openSqliteDatabase({ file: location.file, migrate: false });
  }
  const { openPostgresDatabase } = await import('../store/postgres-database.js');
  return openPostgresDatabase({
    url: location.url,
    clock: systemClock,
    instanceId: systemIds.uuid(),
    migrate: false,
    maxConnections: 1,
  });
}

async function main(port: NonNullable<typeof parentPort>, data: RequestLogWorkerData): Promise<void> {
  const database = await openDatabase(data.location);
  serveRequestLog({
    port,
    store: new RequestLogStore(database.db, { sqlite: database.sqlite }),
    clock: systemClock,
    settings: data.settings,
    close: () => database.close(),
  });
}

if (parentPort) void main(parentPort, workerData as RequestLogWorkerData);
