/**
 * Puts a `Reply` on the socket, with the timing and faults a behaviour asks for. Real timers
 * (this is a network server), all unref'd and cancelled by `signal`, so nothing outlives `close()`.
 */
import type { ServerResponse } from 'node:http';
import { systemClock } from '../../core/clock.js';
import type { Framing, JsonReply, Reply, StreamEvent, StreamReply } from './reply.js';

/** A fault applied while a stream is written. */
export type StreamFault =
  | { type: 'drop'; afterChunks: number }
  | { type: 'end-early'; afterChunks: number }
  | { type: 'error'; beforeContent: boolean; event: StreamEvent };

export interface WriteOptions {
  response: ServerResponse;
  /** Aborted when the client goes away or the server closes. */
  signal: AbortSignal;
  firstByteDelayMs?: number;
  chunkDelayMs?: number;
  fault?: StreamFault;
}

/** Resolves true after `ms`, or false as soon as `signal` aborts. Does not keep the process alive. */
export function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  if (ms <= 0) return Promise.resolve(true);
  return new Promise((resolve) => {
    const onAbort = () => {
      cancel();
      resolve(false);
    };
    const cancel = systemClock.after(ms, () => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    });
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Resolves when `signal` aborts: a request that never gets an answer. */
export function untilAborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}

/** Destroys the connection without a proper end: what a crashed upstream or a cut network looks like. */
export function dropConnection(response: ServerResponse): void {
  response.socket?.destroy();
  response.destroy();
}

function frame(framing: Framing, event: StreamEvent, index: number): string {
  const payload = typeof event.data === 'string' ? event.data : JSON.stringify(event.data);
  if (framing === 'json-array') return `${index === 0 ? '[' : ',\r\n'}${payload}`;
  const name = event.name === undefined ? '' : `event: ${event.name}\n`;
  return framing === 'sse-crlf' ? `data: ${payload}\r\n\r\n` : `${name}data: ${payload}\n\n`;
}

/** The events to write and how the stream ends, after applying a fault. */
export function planStream(reply: StreamReply, fault: StreamFault | undefined) {
  const { events } = reply;
  if (fault?.type === 'drop' || fault?.type === 'end-early') {
    let seen = 0;
    const cut = events.findIndex((event) => event.content && ++seen > fault.afterChunks);
    const ending = fault.type === 'drop' ? ('drop' as const) : ('close' as const);
    return { events: cut < 0 ? events : events.slice(0, cut), ending };
  }
  if (fault?.type === 'error') {
    const first = events.findIndex((event) => event.content);
    const at = first < 0 ? events.length : fault.beforeContent ? first : first + 1;
    return { events: [...events.slice(0, at), fault.event], ending: 'close' as const };
  }
  return { events: reply.terminator ? [...events, reply.terminator] : events, ending: 'close' as const };
}

async function writeStream(reply: StreamReply, options: WriteOptions): Promise<void> {
  const { response, signal } = options;
  response.writeHead(reply.status, { 'cache-control': 'no-cache', ...reply.headers });
  response.flushHeaders();
  const plan = planStream(reply, options.fault);
  for (const [index, event] of plan.events.entries()) {
    if (index > 0 && !(await pause(options.chunkDelayMs ?? 0, signal))) return;
    if (signal.aborted) return;
    response.write(frame(reply.framing, event, index));
  }
  if (plan.ending === 'drop') {
    // Let the written chunks reach the client before the connection dies.
    await pause(10, signal);
    dropConnection(response);
    return;
  }
  response.end(reply.framing === 'json-array' ? (plan.events.length > 0 ? '\r\n]' : '[]') : undefined);
}

function serialise(body: unknown): string {
  if (body === undefined || body === null) return '';
  return typeof body === 'string' ? body : JSON.stringify(body);
}

/**
 * Writes a JSON (or raw) answer; with `cut`, only its first half, then drops the connection
 * (`drop`) or ends the response cleanly with a `content-length` of that half (`end`).
 */
export async function writeJson(
  reply: JsonReply,
  options: WriteOptions & { cut?: 'drop' | 'end' | undefined },
): Promise<void> {
  const { response } = options;
  const text = serialise(reply.body);
  const type = typeof reply.body === 'string' ? 'text/plain; charset=utf-8' : 'application/json';
  const headers = { 'content-type': type, ...reply.headers };
  if (!options.cut || options.cut === 'end') {
    const sent = options.cut === 'end' ? text.slice(0, Math.floor(text.length / 2)) : text;
    response.writeHead(reply.status, { ...headers, 'content-length': String(Buffer.byteLength(sent)) });
    response.end(sent);
    return;
  }
  response.writeHead(reply.status, headers);
  response.write(text.slice(0, Math.floor(text.length / 2)));
  await pause(10, options.signal);
  dropConnection(response);
}

/** Writes any reply after the first-byte delay. */
export async function writeReply(reply: Reply, options: WriteOptions): Promise<void> {
  if (!(await pause(options.firstByteDelayMs ?? 0, options.signal))) return;
  if (reply.kind === 'stream') await writeStream(reply, options);
  else {
    const fault = options.fault?.type;
    await writeJson(reply, {
      ...options,
      cut: fault === 'drop' ? 'drop' : fault === 'end-early' ? 'end' : undefined,
    });
  }
}
