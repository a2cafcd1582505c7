/**
 * "No unauthenticated LAN access without --allow-unauthenticated" holds on every path that changes
 * `auth_mode` or the listen address: the admin API (and so the web UI) refuses the change, a hand
 * edit is kept out like an invalid file, and the start refuses such a file (startup-failures).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type GatewayHarness, startGateway } from '../support/gateway-harness.js';
import { pick } from '../support/http-call.js';

let gateway: GatewayHarness | undefined;
afterEach(async () => {
  await gateway?.close();
  gateway = undefined;
});

const put = (harness: GatewayHarness, proxy: Record<string, unknown>) =>
  harness.call('PUT', '/api/config', { body: { proxy } });

describe('PUT /api/config', () => {
  it.each([
    { name: 'auto → LAN on → auth off', steps: [{ allow_lan_access: true }, { auth_mode: 'off' }] },
    { name: 'auth off → LAN on', steps: [{ auth_mode: 'off' }, { allow_lan_access: true }] },
    { name: 'auth off → proxy.host on the LAN', steps: [{ auth_mode: 'off' }, { host: '0.0.0.0' }] },
  ])('refuses the step that opens the accounts to the LAN ($name), changing nothing', async ({ steps }) => {
    gateway = await startGateway();
    const [first = {}, last = {}] = steps as Array<Record<string, unknown>>;
    expect((await put(gateway, first)).status).toBe(200);
    const file = join(gateway.dataDir, 'gui_config.json');
    const before = await readFile(file, 'utf8');
    const refused = await put(gateway, last);
    expect(refused.status).toBe(400);
    expect(refused.json).toMatchObject({
      error: {
        code: 'validation_failed',
        details: {
          issues: [{ path: 'proxy.auth_mode', message: expect.stringContaining('--allow-unauthenticated') }],
        },
      },
    });
    expect(String(pick(refused.json, 'error', 'message'))).toMatch(/proxy\.(allow_lan_access|host)/);
    expect(await readFile(file, 'utf8')).toBe(before);
    expect(pick((await gateway.call('GET', '/api/config')).json, 'proxy')).toMatchObject(first);
  });

  it('accepts it when the gateway runs with --allow-unauthenticated', async () => {
    gateway = await startGateway({ allowUnauthenticated: true });
    expect((await put(gateway, { allow_lan_access: true, auth_mode: 'off' })).status).toBe(200);
  });
});

describe('a hand edit of gui_config.json', () => {
  it('that opens the accounts to the LAN is kept out: config_error with the reason, last good config stays', async () => {
    gateway = await startGateway({ config: { proxy: { allow_lan_access: true } } });
    const file = join(gateway.dataDir, 'gui_config.json');
    const document = JSON.parse(await readFile(file, 'utf8'));
    const unsafe = JSON.stringify({ ...document, proxy: { ...document.proxy, auth_mode: 'off' } });
    await writeFile(file, unsafe);
    await gateway.runtime.stores.config.reload();
    const status = await gateway.call('GET', '/api/proxy/status');
    expect(String(pick(status.json, 'config_error'))).toContain(
      'proxy.auth_mode: "off" while listening on 0.0.0.0 (proxy.allow_lan_access)',
    );
    expect(pick((await gateway.call('GET', '/api/config')).json, 'proxy', 'auth_mode')).toBe('auto');
    expect(await readFile(file, 'utf8')).toBe(unsafe);
  });
});
