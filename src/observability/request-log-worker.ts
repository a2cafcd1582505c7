/**
 * The request log worker thread's entry point (started by `RequestLogThread`): opens its own
 * connection to the store database named in `workerData` and serves the request log there, so
 * building statements and committing them never runs on the gateway's event loop.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { systemClock } from '../core/clock.js';
import { systemIds } from '../core/ids.js';
import type { StoreLocation } from '../store/store-location.js';
import { type RequestLogServiceSettings, serveRequestLog } from './request-log-service.js';
import type { RequestLogWriteStore } from './request-log-writer.js';

/** What `RequestLogThread` passes as `workerData`. */
export interface RequestLogWorkerData {
  location: StoreLocation;
  settings: RequestLogServiceSettings;
}

/** The thread's connection: the writes the service makes, and how to close it. */
interface WorkerDatabase {
  store: RequestLogWriteStore;
  close(): Promise<void>;
}

/**
 * The gateway thread has migrated the database already: this connection only writes rows. Only
 * the backend's own modules are loaded (each costs the thread memory and start-up time): on
 * SQLite the bare connection and its prepared statements, without Kysely.
 */
async function openDatabase(location: StoreLocation): Promise<WorkerDatabase> {
  if (location.backend === 'sqlite') {
    const { openSqliteFile } = await import('../store/sqlite-file.js');
    const { SqliteRequestLogWrites } = await import('../store/sqlite-request-log-writes.js');
    const connection = openSqliteFile(location.file);
    return { store: new SqliteRequestLogWrites(connection), close: async () => void connection.close() };
  }
  const { openPostgresDatabase } = await import('../store/postgres-database.js');
  const { RequestLogStore } = await import('../store/request-log-store.js');
  const database = await openPostgresDatabase({
    url: location.url,
    clock: systemClock,
    instanceId: systemIds.uuid(),
    migrate: false,
    maxConnections: 1,
  });
  return { store: new RequestLogStore(database.db), close: () => database.close() };
}

async function main(port: NonNullable<typeof parentPort>, data: RequestLogWorkerData): Promise<void> {
  const database = await openDatabase(data.location);
  serveRequestLog({
    port,
    store: database.store,
    clock: systemClock,
    settings: data.settings,
    close: () => database.close(),
  });
}

if (parentPort) void main(parentPort, workerData as RequestLogWorkerData);
