import type { Database as SqliteConnection } from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeEachStoreBackend } from '../../test/support/store-backends.js';
import type { RequestLogWriteStore } from '../observability/request-log-writer.js';
import type { OpenedDatabase } from './opened-database.js';
import { requestLogValues } from './request-log-columns.js';
import { type RequestLogQuery, type RequestLogRow, RequestLogStore } from './request-log-store.js';
import { openSqliteFile } from './sqlite-file.js';
import { SqliteRequestLogWrites } from './sqlite-request-log-writes.js';

const T0 = Date.UTC(2026, 0, 1);

function row(id: string, overrides: Partial<RequestLogRow> = {}): RequestLogRow {
  return {
    id,
    time: T0,
    protocol: 'openai-chat',
    method: 'POST',
    path: '/v1/chat/completions',
    clientModel: 'gpt-4o',
    mappedModel: 'gpt-4o',
    accountId: 'acct-1',
    accountEmail: 'alice@example.com',
    sessionId: null,
    status: 200,
    attempts: 1,
    accountsTried: ['acct-1'],
    modelsTried: ['gpt-4o'],
    localReply: null,
    latencyMs: 120,
    ttfbMs: 40,
    inputTokens: 10,
    outputTokens: 20,
    cacheReadTokens: null,
    cacheWriteTokens: null,
    reasoningTokens: null,
    clientKeyId: null,
    error: null,
    requestBody: '{"model":"gpt-4o"}',
    responseBody: '{"id":"x"}',
    ...overrides,
  };
}

/**
 * SQLite runs the suite twice: writing with `RequestLogStore`'s Kysely queries, and with the
 * prepared statements the request log worker thread uses (`SqliteRequestLogWrites`, on a
 * connection of its own, as in the worker). Both must store and remove the same rows; reads go
 * through `RequestLogStore` either way.
 */
describeEachStoreBackend('RequestLogStore', (backend) => {
  const writePaths =
    backend.name === 'sqlite' ? (['queries', 'prepared statements'] as const) : (['queries'] as const);
  describe.each(writePaths)('writing with %s', (writes) => {
    let opened: OpenedDatabase;
    let logs: RequestLogStore;
    let writer: RequestLogWriteStore;
    let workerConnection: SqliteConnection | null;
    const insertBatch = (rows: readonly RequestLogRow[]) => writer.insertValues(rows.map(requestLogValues));

    beforeEach(async () => {
      const location = await backend.newLocation();
      opened = await backend.open(location);
      logs = new RequestLogStore(opened.db);
      workerConnection = writes === 'prepared statements' ? openSqliteFile(location) : null;
      writer = workerConnection ? new SqliteRequestLogWrites(workerConnection) : logs;
    });

    afterEach(async () => {
      workerConnection?.close();
      await opened.close();
    });

    describe('RequestLogStore', () => {
      it('returns a stored row with every field, bodies included, from get', async () => {
        const stored = row('req_1', {
          accountsTried: ['acct-2', 'acct-1'],
          modelsTried: ['claude-opus-4-5', 'gpt-4o'],
          attempts: 2,
          cacheReadTokens: 5,
          reasoningTokens: 7,
          clientKeyId: 'key-1',
        });
        await insertBatch([stored]);

        expect(await logs.get('req_1')).toEqual(stored);
        expect(await logs.get('req_missing')).toBeNull();
      });

      it('skips rows whose id is already stored', async () => {
        await insertBatch([row('req_1')]);
        await insertBatch([row('req_1', { status: 500 }), row('req_2')]);

        expect((await logs.get('req_1'))?.status).toBe(200);
        expect((await logs.query({ limit: 10 })).rows).toHaveLength(2);
      });

      it('inserts batches larger than one statement can hold', async () => {
        await insertBatch(
          Array.from({ length: 450 }, (_, index) => row(`req_${index}`, { time: T0 + index })),
        );

        expect((await logs.query({ limit: 1000 })).rows).toHaveLength(450);
      });

      it('lists newest first and leaves bodies out unless asked', async () => {
        await insertBatch([row('req_old', { time: T0 }), row('req_new', { time: T0 + 1 })]);

        const page = await logs.query({ limit: 10 });
        const withBodies = await logs.query({ limit: 10, includeBodies: true });

        expect(page.rows.map((log) => log.id)).toEqual(['req_new', 'req_old']);
        expect(page.rows[0]).toMatchObject({ requestBody: null, responseBody: null });
        expect(withBodies.rows[0]).toMatchObject({
          requestBody: '{"model":"gpt-4o"}',
          responseBody: '{"id":"x"}',
        });
      });

      describe('query filters', () => {
        beforeEach(async () => {
          await insertBatch([
            row('req_ok', { time: T0 + 1, accountEmail: 'bobxsmith@example.com' }),
            row('req_429', { time: T0 + 2, status: 429, error: 'all accounts limited', accountId: null }),
            row('req_stream_broke', { time: T0 + 3, error: 'upstream closed the stream' }),
            row('req_claude', {
              time: T0 + 4,
              protocol: 'anthropic-messages',
              clientModel: 'claude-sonnet-4',
              mappedModel: 'gemini-2.5-pro',
              accountId: 'acct-2',
              accountEmail: 'Bob_Smith@Example.com',
              sessionId: 'sid-0123456789abcdef',
            }),
            row('req_50%', { time: T0 + 5, path: '/v1/messages', status: 201, clientKeyId: 'key-1' }),
          ]);
        });

        it.each<[string, Omit<RequestLogQuery, 'limit'>, string[]]>([
          ['status error: ≥ 400 or an error recorded', { status: 'error' }, ['req_stream_broke', 'req_429']],
          ['status success', { status: 'success' }, ['req_50%', 'req_claude', 'req_ok']],
          ['an exact status', { status: 201 }, ['req_50%']],
          ['account', { accountId: 'acct-2' }, ['req_claude']],
          ['client key', { clientKeyId: 'key-1' }, ['req_50%']],
          ['client model', { model: 'claude-sonnet-4' }, ['req_claude']],
          ['mapped model', { model: 'gemini-2.5-pro' }, ['req_claude']],
          ['protocol', { protocol: 'anthropic-messages' }, ['req_claude']],
          ['text in the email, ignoring case', { text: 'SMITH@example' }, ['req_claude', 'req_ok']],
          ['text in the error', { text: 'LIMITED' }, ['req_429']],
          ['text in the session id', { text: 'sid-0123' }, ['req_claude']],
          ['text with % taken literally', { text: '%' }, ['req_50%']],
          ['text with _ taken literally', { text: 'b_smith' }, ['req_claude']],
          [
            'several filters together',
            { status: 'success', protocol: 'openai-chat', text: 'messages' },
            ['req_50%'],
          ],
        ])('by %s', async (_case, filter, expected) => {
          const page = await logs.query({ ...filter, limit: 50 });

          expect(page.rows.map((log) => log.id)).toEqual(expected);
        });
      });

      it('pages through rows with the cursor, without gaps or repeats among equal times', async () => {
        const rows = Array.from({ length: 7 }, (_, index) =>
          row(`req_${index}`, { time: T0 + Math.floor(index / 3) }),
        );
        await insertBatch(rows);

        const seen: string[] = [];
        let cursor: string | undefined;
        for (let page = 0; page < 10; page++) {
          const result = await logs.query({ limit: 3, ...(cursor === undefined ? {} : { before: cursor }) });
          seen.push(...result.rows.map((log) => log.id));
          if (result.nextCursor === null) break;
          cursor = result.nextCursor;
        }

        expect(seen).toEqual(['req_6', 'req_5', 'req_4', 'req_3', 'req_2', 'req_1', 'req_0']);
      });

      it('rejects a cursor it did not make', async () => {
        await expect(logs.query({ limit: 3, before: 'nonsense' })).rejects.toMatchObject({
          code: 'invalid_request',
        });
      });

      it('prunes rows older than the cutoff, then all but the newest maxRows', async () => {
        await insertBatch(
          Array.from({ length: 10 }, (_, index) => row(`req_${index}`, { time: T0 + index })),
        );

        const deleted = await writer.prune({ olderThan: T0 + 2, maxRows: 5 });

        expect(deleted).toBe(5);
        expect((await logs.query({ limit: 50 })).rows.map((log) => log.id)).toEqual([
          'req_9',
          'req_8',
          'req_7',
          'req_6',
          'req_5',
        ]);
      });

      it('prunes by age alone when the table is under maxRows', async () => {
        await insertBatch([row('req_old', { time: T0 }), row('req_new', { time: T0 + 10 })]);

        expect(await writer.prune({ olderThan: T0 + 5, maxRows: 100 })).toBe(1);
        expect((await logs.query({ limit: 50 })).rows.map((log) => log.id)).toEqual(['req_new']);
      });

      it('prunes to exactly maxRows when rows at the boundary share a time, the oldest ids first', async () => {
        await insertBatch([
          row('req_a', { time: T0 }),
          row('req_b', { time: T0 + 1 }),
          row('req_c', { time: T0 + 1 }),
          row('req_d', { time: T0 + 1 }),
          row('req_e', { time: T0 + 2 }),
        ]);

        expect(await writer.prune({ olderThan: T0 - 1, maxRows: 3 })).toBe(2);
        expect((await logs.query({ limit: 50 })).rows.map((log) => log.id)).toEqual([
          'req_e',
          'req_d',
          'req_c',
        ]);
      });

      it('clears everything', async () => {
        await insertBatch([row('req_1'), row('req_2')]);

        await writer.clear();

        expect((await logs.query({ limit: 50 })).rows).toEqual([]);
      });
    });
  });
});
