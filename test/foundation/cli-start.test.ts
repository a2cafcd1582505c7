import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { systemClock } from '../../src/core/clock.js';
import { httpCall } from '../support/http-call.js';
import { type MockUpstream, slowFirstByte, startMockUpstream } from '../support/mock-upstream.js';
import { sampleChat } from '../support/sample-requests.js';
import { type CliGateway, startCliGateway, temporaryDirectory } from './run-cli.js';

const UPSTREAM_KEY = 'sk-upstream-slow-0123456789abcdef';

let upstream: MockUpstream;
let directory: { path: string; remove: () => Promise<void> };
let gateway: CliGateway | undefined;

beforeAll(async () => {
  upstream = await startMockUpstream();
});
afterAll(async () => {
  await upstream?.close();
});
beforeEach(async () => {
  directory = await temporaryDirectory();
});
afterEach(async () => {
  await gateway?.stop('SIGKILL');
  gateway = undefined;
  upstream.reset();
  await directory.remove();
});

describe('switchyard start (the path `npm start` runs)', () => {
  it('prints the URL, the admin address, the API key and the config path, and answers /healthz', async () => {
    const dataDir = join(directory.path, 'new-home');
    gateway = await startCliGateway({ dataDir, extraArgs: ['--log-level', 'warn'] });
    const { banner, url, apiKey } = gateway;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(banner).toMatch(/^Switchyard \d+\.\d+\.\d+ is listening on 127\.0\.0\.1:\d+$/m);
    expect(banner).toContain(`Admin API / UI:  ${url}/`);
    expect(apiKey).toMatch(/^sk-[0-9a-f]{32}$/);
    const configPath = join(dataDir, 'gui_config.json');
    expect(banner).toContain(`Config file:     ${configPath}`);
    // It holds the API key: owner-only, like the data directory.
    expect((await stat(configPath)).mode & 0o777).toBe(0o600);
    expect((await stat(dataDir)).mode & 0o777).toBe(0o700);

    const health = await httpCall(`${url}/healthz`);
    expect(health.status).toBe(200);
    expect(health.json).toMatchObject({ status: 'ok', version: expect.any(String) });
    const status = await httpCall(`${url}/api/proxy/status`, {
      headers: { authorization: `Bearer ${apiKey}` },
    });
    expect(status.json).toMatchObject({ running: true, port: Number(new URL(url).port) });
  });

  it('keeps the same API key across restarts (it is persisted)', async () => {
    gateway = await startCliGateway({ dataDir: directory.path, extraArgs: ['--log-level', 'warn'] });
    const first = gateway.apiKey;
    expect((await gateway.stop()).code).toBe(0);
    gateway = await startCliGateway({ dataDir: directory.path, extraArgs: ['--log-level', 'warn'] });
    expect(gateway.apiKey).toBe(first);
  });

  it('on SIGTERM finishes the request in flight, then exits 0 without waiting for the timeout', async () => {
    gateway = await startCliGateway({
      dataDir: directory.path,
      extraArgs: ['--log-level', 'warn', '--shutdown-timeout', '12'],
    });
    const { url, apiKey } = gateway;
    const added = await httpCall(`${url}/api/accounts`, {
      headers: { authorization: `Bearer ${apiKey}` },
      body: {
        provider: 'openai',
        email: 'slow@example.com',
        api_key: UPSTREAM_KEY,
        base_url: `${upstream.url}/v1`,
      },
    });
    expect(added.status).toBe(201);
    upstream.script(UPSTREAM_KEY, slowFirstByte(500));

    const inFlight = httpCall(`${url}/v1/chat/completions`, { body: sampleChat('finish me please') });
    await vi.waitFor(() => expect(upstream.hits(UPSTREAM_KEY)).toBe(1), { timeout: 2000, interval: 10 });
    const exited = gateway.stop('SIGTERM');

    const answer = await inFlight;
    expect(answer.status).toBe(200);
    expect(answer.text).toContain('finish me please');
    const answeredAt = systemClock.now();
    const result = await exited;
    // Idle keep-alive connections must not hold the exit until --shutdown-timeout.
    expect(systemClock.now() - answeredAt).toBeLessThan(5000);
    expect(result.signal).toBeNull();
    expect(result.code).toBe(0);
    await expect(httpCall(`${url}/healthz`)).rejects.toThrow(/ECONNREFUSED/);
  });
});
