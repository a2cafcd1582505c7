/**
 * Failures around a request that are not the request's fault stay quiet and harmless: a store
 * write failing after a success neither fails the answer nor goes unhandled, and a client that
 * goes away is logged at debug level without a stack trace.
 */
import { request } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { type GatewayHarness, startGateway } from '../support/gateway-harness.js';
import { pick } from '../support/http-call.js';
import { captureLogs } from '../support/log-capture.js';
import { hang, type MockUpstream, startMockUpstream } from '../support/mock-upstream.js';
import { sampleChat } from '../support/sample-requests.js';

let upstream: MockUpstream;
let gateway: GatewayHarness;
const logs = captureLogs({ level: 'debug' });
const logLines = () => logs.lines;

beforeAll(async () => {
  upstream = await startMockUpstream();
  gateway = await startGateway({
    logger: logs.logger,
    accounts: [
      { provider: 'openai', email: 'o@example.com', api_key: 'sk-up-a', base_url: `${upstream.url}/v1` },
    ],
  });
});
afterAll(async () => {
  await gateway?.close();
  await upstream?.close();
});
beforeEach(() => {
  upstream.reset();
  logs.clear();
});

describe('a state write that fails after a successful answer', () => {
  it('is logged, never fails the answer, never goes unhandled, and the gateway keeps serving', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    const failingWrite = vi
      .spyOn(gateway.runtime.services.limits, 'recordSuccess')
      .mockRejectedValue(new Error('SQLITE_IOERR: disk I/O error'));
    try {
      const first = await gateway.call('POST', '/v1/chat/completions', {
        body: sampleChat('one'),
        admin: false,
      });
      expect(first.status).toBe(200);
      expect(failingWrite).toHaveBeenCalledTimes(1);
      await vi.waitFor(() => {
        const line = logLines().find((entry) => entry.msg === 'could not record a successful request');
        expect(line).toMatchObject({
          level: 50,
          err: 'SQLITE_IOERR: disk I/O error',
          account: 'o@example.com',
        });
      });
      // Unhandled rejections are reported once the microtask queue is drained.
      await new Promise((resolve) => setImmediate(resolve));
      expect(unhandled).toEqual([]);
      const second = await gateway.call('POST', '/v1/chat/completions', {
        body: sampleChat('two'),
        admin: false,
      });
      expect(second.status).toBe(200);
    } finally {
      failingWrite.mockRestore();
      process.off('unhandledRejection', onUnhandled);
    }
  });
});

describe('a client that goes away mid-request', () => {
  it('is logged at debug level without a stack trace, and the request log says 499', async () => {
    upstream.script('sk-up-a', hang());
    const controller = new AbortController();
    const pending = request(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(sampleChat('leaving early')),
      signal: controller.signal,
    }).catch((error: unknown) => error);
    await vi.waitFor(() => expect(upstream.requests).toHaveLength(1));
    controller.abort();
    await pending;

    await vi.waitFor(() => {
      expect(logLines().some((line) => line.msg.startsWith('The client closed the connection'))).toBe(true);
    });
    const line = logLines().find((entry) => entry.msg.startsWith('The client closed the connection'));
    expect(line).toMatchObject({ level: 20, path: '/v1/chat/completions' });
    expect(JSON.stringify(line)).not.toMatch(/stack|"err"/);
    expect(logLines().filter((entry) => entry.level >= 50)).toEqual([]);
    await gateway.runtime.services.observability.writer.flush();
    const logged = await gateway.call('GET', '/api/logs');
    expect(pick(logged.json, 'logs', 0, 'status')).toBe(499);
  });
});
