import type { ServerResponse } from 'node:http';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Clock } from '../../core/clock.js';
import { SwitchyardError } from '../../core/errors.js';
import { parseOrThrow } from '../../core/validation.js';
import type { LiveFeed, LiveFeedSubscription } from '../../observability/live-feed.js';
import { toRequestLogRow } from '../../observability/to-request-log-row.js';
import type { RoutePolicy } from '../../server/route-policy.js';
import { checkAdminAuth } from '../../server/route-policy.js';
import type { RequestLogStore } from '../../store/request-log-store.js';
import { ASSUMED_AVAILABLE, type StoreAvailability } from '../../store/store-health.js';
import { listLogsQuery, logStreamQuery } from '../log-contracts.js';
import { toRequestLogRecord } from '../to-request-log-record.js';
import { adminRoute } from './admin-route.js';

/** What the `/api/logs` routes need. */
export interface LogRoutesDependencies {
  /** The stored request log. */
  store: Pick<RequestLogStore, 'query' | 'get' | 'clear'>;
  /**
   * The request log writer, when there is one: reads flush it first so a request that just finished
   * is listed, and clearing the log goes through it (after the writes under way, with what is
   * still queued); `clear` resolves false when it could not, and the store is cleared here.
   */
  writer?: { flush(): Promise<void>; clear(): Promise<boolean> };
  /** Source of `GET /api/logs/stream`. */
  feed: LiveFeed;
  /** Drives the stream heartbeat. */
  clock: Clock;
  /** The admin credentials in force (`proxy.admin_password`, `proxy.api_key`), read per request. */
  adminCredentials: () => { adminPassword: string | null; apiKey: string };
  /** Milliseconds between heartbeat comments on the stream. Default 15 000. */
  heartbeatMs?: number;
  /** Guards the reads and the clear: a 503 `store_unavailable` while the database does not answer. */
  storeReads?: Pick<StoreAvailability, 'guard'>;
}

interface IdParams {
  id: string;
}

// The stream checks admin auth itself because EventSource cannot send headers: it also accepts
// `?token=`, which the app-wide admin check does not read.
const streamRoute = { config: { policy: { dialect: 'admin', auth: 'public' } satisfies RoutePolicy } };

/**
 * `GET /api/logs` (filtered pages, newest first), `GET /api/logs/:id` (one entry with its bodies),
 * `DELETE /api/logs` (clear), `GET /api/logs/stream` (server-sent events: `event: log` with one
 * entry as JSON per finished request, a `: heartbeat` comment every 15 s, and `event: dropped` with
 * `{"dropped": n}` where this client fell behind and lost n entries). All require admin auth.
 */
export function registerLogRoutes(app: FastifyInstance, deps: LogRoutesDependencies): void {
  const { store, writer } = deps;
  const reads = deps.storeReads ?? ASSUMED_AVAILABLE;

  app.get('/api/logs', adminRoute, async (request) => {
    const query = parseOrThrow(listLogsQuery, request.query, 'log query');
    await writer?.flush();
    const page = await reads.guard(() =>
      store.query({
        status: query.status,
        accountId: query.account,
        clientKeyId: query.key,
        model: query.model,
        protocol: query.protocol,
        text: query.q,
        limit: query.limit,
        before: query.before,
      }),
    );
    return { logs: page.rows.map((row) => toRequestLogRecord(row)), next_before: page.nextCursor };
  });

  app.delete('/api/logs', adminRoute, async (_request, reply) => {
    await reads.guard(async () => {
      if (!(await writer?.clear())) await store.clear();
    });
    return reply.status(204).send();
  });

  registerLogStream(app, deps);

  app.get<{ Params: IdParams }>('/api/logs/:id', adminRoute, async (request) => {
    await writer?.flush();
    const row = await reads.guard(() => store.get(request.params.id));
    if (!row) throw new SwitchyardError('not_found', `No request log entry with id ${request.params.id}`);
    return toRequestLogRecord(row, true);
  });
}

function registerLogStream(app: FastifyInstance, deps: LogRoutesDependencies): void {
  const open = new Set<LiveFeedSubscription>();
  // Streams never go idle, so the server could not close while one is open: end them first.
  app.addHook('preClose', async () => {
    for (const subscription of open) subscription.close();
  });

  app.get('/api/logs/stream', streamRoute, async (request, reply) => {
    authorizeStream(request, deps.adminCredentials());
    parseOrThrow(logStreamQuery, request.query, 'stream query');
    reply.hijack();
    reply.raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    reply.raw.write(': connected\n\n');
    const subscription = deps.feed.subscribe();
    open.add(subscription);
    try {
      await pumpFeed({ response: reply.raw, subscription, clock: deps.clock, heartbeatMs: deps.heartbeatMs });
    } finally {
      open.delete(subscription);
    }
  });
}

/** Admin auth from the headers, or else from `?token=` (EventSource cannot send headers). */
function authorizeStream(
  request: FastifyRequest,
  credentials: { adminPassword: string | null; apiKey: string },
): void {
  const { headers } = request;
  const token = (request.query as Record<string, unknown> | undefined)?.['token'];
  const useToken = typeof token === 'string' && !headers.authorization && !headers['x-api-key'];
  const outcome = checkAdminAuth({
    ...credentials,
    headers: useToken ? { ...headers, authorization: `Bearer ${token}` } : headers,
  });
  if (!outcome.ok) throw new SwitchyardError('unauthorized', outcome.message);
}

/** Writes feed entries to `response` until the client goes away or the subscription is closed. */
async function pumpFeed(options: {
  response: ServerResponse;
  subscription: LiveFeedSubscription;
  clock: Clock;
  heartbeatMs: number | undefined;
}): Promise<void> {
  const { response, subscription } = options;
  const endSubscription = () => subscription.close();
  response.on('close', endSubscription);
  if (response.destroyed) subscription.close();
  const stopHeartbeat = options.clock.every(options.heartbeatMs ?? 15_000, () => {
    // A client that is not reading gets no heartbeats piled onto its buffer either.
    if (!response.writableNeedDrain && !response.destroyed) response.write(': heartbeat\n\n');
  });
  try {
    for await (const { entry, missedBefore } of subscription) {
      if (response.destroyed) break;
      let frame = '';
      if (missedBefore > 0) frame += `event: dropped\ndata: ${JSON.stringify({ dropped: missedBefore })}\n\n`;
      // Bodies stay out of the stream: they may be large, and are fetched per entry when wanted.
      const record = toRequestLogRecord(toRequestLogRow(entry, { keepBodies: false, maxBodyChars: 0 }));
      frame += `event: log\ndata: ${JSON.stringify(record)}\n\n`;
      if (!response.write(frame)) await drained(response);
    }
  } finally {
    stopHeartbeat();
    response.off('close', endSubscription);
    subscription.close();
    if (!response.writableEnded) response.end();
  }
}

/** Resolves when `response` can take more data, or has closed. */
function drained(response: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      response.off('drain', done);
      response.off('close', done);
      resolve();
    };
    response.on('drain', done);
    response.on('close', done);
  });
}
