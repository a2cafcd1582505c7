import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent } from 'undici';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { type DispatchedAnswer, DispatchedRequest, UpstreamBody } from './upstream-body.js';

const resumeNever = () => {};

describe('UpstreamBody', () => {
  it('yields the chunks in order, and whole as bytes or text', async () => {
    const chunked = new UpstreamBody(vi.fn());
    chunked.push(Buffer.from('hé'), resumeNever);
    chunked.push(Buffer.from('llo'), resumeNever);
    chunked.end();
    const seen: string[] = [];
    for await (const chunk of chunked) seen.push(chunk.toString());
    expect(seen).toEqual(['hé', 'llo']);

    const whole = new UpstreamBody(vi.fn());
    setImmediate(() => {
      whole.push(Buffer.from('{"a":'), resumeNever);
      whole.push(Buffer.from('1}'), resumeNever);
      whole.end();
    });
    expect((await whole.bytes()).toString()).toBe('{"a":1}');

    const text = new UpstreamBody(vi.fn());
    text.push(Buffer.from('ok'), resumeNever);
    text.end();
    expect(await text.text()).toBe('ok');
  });

  it('is read once', async () => {
    const body = new UpstreamBody(vi.fn());
    body.end();
    await body.bytes();
    await expect(body.bytes()).rejects.toThrow('already read');
  });

  it('throws a failure after the chunks that came before it', async () => {
    const body = new UpstreamBody(vi.fn());
    const failure = Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' });
    body.push(Buffer.from('data: 1\n\n'), resumeNever);
    body.fail(failure);
    const iterator = body[Symbol.asyncIterator]();
    expect((await iterator.next()).value?.toString()).toBe('data: 1\n\n');
    await expect(iterator.next()).rejects.toBe(failure);

    const whole = new UpstreamBody(vi.fn());
    whole.fail(failure);
    await expect(whole.bytes()).rejects.toBe(failure);
  });

  it('asks undici to pause past the high-water mark and resumes it once the reader catches up', async () => {
    const body = new UpstreamBody(vi.fn());
    const resume = vi.fn();
    const big = Buffer.alloc(40 * 1024);
    expect(body.push(big, resume)).toBe(true);
    expect(body.push(big, resume)).toBe(false);
    const iterator = body[Symbol.asyncIterator]();
    await iterator.next();
    expect(resume).toHaveBeenCalledTimes(1);
    await iterator.next();
    expect(resume).toHaveBeenCalledTimes(1);
  });

  it('a reader that stops early aborts the request and drops what is queued', async () => {
    const abort = vi.fn();
    const body = new UpstreamBody(abort);
    body.push(Buffer.from('a'), resumeNever);
    body.push(Buffer.from('b'), resumeNever);
    for await (const _chunk of body) break;
    expect(abort).toHaveBeenCalledTimes(1);
    expect(abort.mock.calls[0]?.[0]).toBeInstanceOf(Error);

    const ended = new UpstreamBody(abort);
    ended.push(Buffer.from('a'), resumeNever);
    ended.end();
    for await (const _chunk of ended) break;
    // Nothing left to abort once the body is complete.
    expect(abort).toHaveBeenCalledTimes(1);
  });

  it('dump reads a short body to its end, and gives a long one up by aborting', async () => {
    const shortAbort = vi.fn();
    const short = new UpstreamBody(shortAbort);
    short.push(Buffer.from('not found'), resumeNever);
    short.end();
    await short.dump();
    expect(shortAbort).not.toHaveBeenCalled();

    const longAbort = vi.fn();
    const long = new UpstreamBody(longAbort);
    const resume = vi.fn(() => {
      // the socket would deliver more: keep it coming past dump's limit
      long.push(Buffer.alloc(60 * 1024), resume);
    });
    long.push(Buffer.alloc(60 * 1024), resume);
    long.push(Buffer.alloc(60 * 1024), resume);
    await long.dump();
    expect(longAbort).toHaveBeenCalledTimes(1);
  });
});

describe('DispatchedRequest against a real server', () => {
  const servers: Server[] = [];
  const agent = new Agent({ keepAliveTimeout: 1000 });
  afterAll(() => agent.close());
  afterEach(async () => {
    for (const server of servers.splice(0)) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  async function serve(handler: Parameters<typeof createServer>[1]): Promise<string> {
    const server = createServer(handler);
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  function send(origin: string, signal: AbortSignal, timeouts = { headers: 5000, body: 5000 }) {
    return new Promise<DispatchedAnswer>((resolve, reject) => {
      agent.dispatch(
        {
          origin,
          path: '/v1/x',
          method: 'POST',
          body: '{}',
          headersTimeout: timeouts.headers,
          bodyTimeout: timeouts.body,
        },
        new DispatchedRequest(signal, resolve, reject),
      );
    });
  }

  it('resolves with status and lower-cased headers at the head, then the body', async () => {
    const origin = await serve((_request, response) => {
      response.writeHead(201, { 'Content-Type': 'application/json', 'X-Trace': 'abc' });
      response.write('{"a":');
      setTimeout(() => response.end('1}'), 20);
    });
    const answer = await send(origin, new AbortController().signal);
    expect(answer.status).toBe(201);
    expect(answer.headers['content-type']).toBe('application/json');
    expect(answer.headers['x-trace']).toBe('abc');
    expect((await answer.body.bytes()).toString()).toBe('{"a":1}');
  });

  it('rejects with the signal’s reason before the head, and fails the body with it after', async () => {
    const origin = await serve((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write('data: 1\n\n');
      // never ends
    });
    const reason = new Error('client went away');
    const early = new AbortController();
    early.abort(reason);
    await expect(send(origin, early.signal)).rejects.toBe(reason);

    const late = new AbortController();
    const answer = await send(origin, late.signal);
    const iterator = answer.body[Symbol.asyncIterator]();
    expect((await iterator.next()).value?.toString()).toBe('data: 1\n\n');
    late.abort(reason);
    await expect(iterator.next()).rejects.toBe(reason);
  });

  it('rejects with undici’s timeout when no head comes in time', async () => {
    const origin = await serve(() => {
      // never answers
    });
    await expect(
      send(origin, new AbortController().signal, { headers: 100, body: 100 }),
    ).rejects.toMatchObject({
      code: 'UND_ERR_HEADERS_TIMEOUT',
    });
  });
});
