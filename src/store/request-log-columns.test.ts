import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEachStoreBackend } from '../../test/support/store-backends.js';
import { sql } from './kysely-runtime.js';
import type { OpenedDatabase } from './opened-database.js';
import { REQUEST_LOG_COLUMNS, requestLogInsertSql, requestLogValues } from './request-log-columns.js';
import { type RequestLogRow, RequestLogStore } from './request-log-store.js';
import { openSqliteFile } from './sqlite-file.js';
import { SqliteRequestLogWrites } from './sqlite-request-log-writes.js';

const T0 = Date.UTC(2026, 0, 1);

function row(id: string, time: number): RequestLogRow {
  return {
    id,
    time,
    protocol: 'anthropic-messages',
    method: 'POST',
    path: '/v1/messages',
    clientModel: 'claude-opus-4-5',
    mappedModel: 'claude-opus-4-5',
    accountId: 'acct-1',
    accountEmail: 'alice@example.com',
    sessionId: 'session-1',
    status: 200,
    attempts: 2,
    accountsTried: ['bob@example.com', 'alice@example.com'],
    modelsTried: ['claude-opus-4-5'],
    localReply: null,
    latencyMs: 120,
    ttfbMs: 40,
    inputTokens: 10,
    outputTokens: 20,
    cacheReadTokens: 3,
    cacheWriteTokens: 4,
    reasoningTokens: 5,
    clientKeyId: 'key-1',
    error: null,
    requestBody: '{"model":"claude-opus-4-5"}',
    responseBody: '{"id":"msg_1"}',
  };
}

describeEachStoreBackend('request log columns', (backend) => {
  let opened: OpenedDatabase;
  let location: string;

  beforeEach(async () => {
    location = await backend.newLocation();
    opened = await backend.open(location);
  });

  afterEach(async () => {
    await opened.close();
  });

  it('name exactly the columns of the migrated request_logs table', async () => {
    const columns =
      opened.backend === 'sqlite'
        ? await sql<{ name: string }>`select name from pragma_table_info('request_logs')`.execute(opened.db)
        : await sql<{ name: string }>`select column_name as name from information_schema.columns
            where table_name = 'request_logs' and table_schema = current_schema()`.execute(opened.db);

    expect(columns.rows.map((column) => column.name).sort()).toEqual([...REQUEST_LOG_COLUMNS].sort());
  });

  it('store rows as values through the connection the worker uses, skipping ids already stored', async () => {
    const logs = new RequestLogStore(opened.db);
    // SQLite: the worker's own connection and prepared statements; PostgreSQL: the store's inserts.
    const connection = backend.name === 'sqlite' ? openSqliteFile(location) : null;
    const writes = connection ? new SqliteRequestLogWrites(connection) : logs;
    const rows = Array.from({ length: 700 }, (_, index) => row(`req_${index}`, T0 + index));

    try {
      await writes.insertValues(rows.map(requestLogValues));
      await writes.insertValues([requestLogValues({ ...row('req_0', T0), status: 500 })]);
    } finally {
      connection?.close();
    }

    expect(await logs.get('req_0')).toEqual(row('req_0', T0));
    expect(await logs.get('req_699')).toEqual(row('req_699', T0 + 699));
    expect((await logs.query({ limit: 1000 })).rows).toHaveLength(700);
  });
});

it('numbers the placeholders of a multi-row insert row after row', () => {
  const text = requestLogInsertSql(2, 'numbered');

  expect(text).toContain(`($${REQUEST_LOG_COLUMNS.length + 1}, `);
  expect(text).toMatch(
    new RegExp(`\\$${2 * REQUEST_LOG_COLUMNS.length}\\) on conflict \\(id\\) do nothing$`),
  );
});
