import { describe, expect, it } from 'vitest';
import { configSchema } from '../config/schema.js';
import { configuredHost, exposureIssues, mayListen } from './exposure-policy.js';

const config = (proxy: Record<string, unknown>) =>
  configSchema.parse({ proxy: { api_key: 'sk-12345678', ...proxy } });

describe('mayListen', () => {
  it.each([
    ['127.0.0.1', 'off', false, true],
    ['localhost', 'off', false, true],
    ['0.0.0.0', 'auto', false, true],
    ['0.0.0.0', 'all_except_health', false, true],
    ['0.0.0.0', 'strict', false, true],
    ['0.0.0.0', 'off', false, false],
    ['192.168.1.20', 'off', false, false],
    ['0.0.0.0', 'off', true, true],
  ] as const)('%s with auth_mode %s (flag %s) → %s', (host, authMode, allowUnauthenticated, allowed) => {
    expect(mayListen({ host, authMode, allowUnauthenticated })).toBe(allowed);
  });
});

describe('exposureIssues', () => {
  it('accepts the defaults and LAN access with auth_mode auto', () => {
    expect(exposureIssues(config({}), { allowUnauthenticated: false })).toEqual([]);
    expect(exposureIssues(config({ allow_lan_access: true }), { allowUnauthenticated: false })).toEqual([]);
  });

  it('refuses LAN access with auth_mode off, naming both fields', () => {
    const issues = exposureIssues(config({ allow_lan_access: true, auth_mode: 'off' }), {
      allowUnauthenticated: false,
    });
    expect(issues).toEqual([
      {
        path: 'proxy.auth_mode',
        message: expect.stringMatching(
          /^"off" while listening on 0\.0\.0\.0 \(proxy\.allow_lan_access\).*--allow-unauthenticated/,
        ),
      },
    ]);
  });

  it('checks proxy.host, and --host as well as the address saved in the file', () => {
    const lanHost = config({ host: '192.168.1.20', auth_mode: 'off' });
    expect(exposureIssues(lanHost, { allowUnauthenticated: false })[0]?.message).toContain(
      '192.168.1.20 (proxy.host)',
    );
    // Bound to loopback by --host now, but the file alone would expose the accounts at the next start.
    expect(exposureIssues(lanHost, { hostOverride: '127.0.0.1', allowUnauthenticated: false })).toHaveLength(
      1,
    );
    const loopbackFile = config({ auth_mode: 'off' });
    expect(
      exposureIssues(loopbackFile, { hostOverride: '0.0.0.0', allowUnauthenticated: false })[0]?.message,
    ).toContain('0.0.0.0 (--host)');
  });

  it('accepts everything with --allow-unauthenticated', () => {
    const lan = config({ allow_lan_access: true, auth_mode: 'off' });
    expect(exposureIssues(lan, { hostOverride: '0.0.0.0', allowUnauthenticated: true })).toEqual([]);
  });
});

describe('configuredHost', () => {
  it('is proxy.host, else 0.0.0.0 with LAN access, else 127.0.0.1', () => {
    expect(configuredHost(config({}))).toBe('127.0.0.1');
    expect(configuredHost(config({ allow_lan_access: true }))).toBe('0.0.0.0');
    expect(configuredHost(config({ allow_lan_access: true, host: '10.0.0.2' }))).toBe('10.0.0.2');
  });
});
