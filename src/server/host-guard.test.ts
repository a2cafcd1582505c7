import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { hostnameOf, isAllowedHost, registerHostGuard } from './host-guard.js';

const machine = () => ['192.168.1.20', 'fe80::1', 'my-box'];
const check = (host: string | undefined, boundHost: string | null, allowedHosts: string[] = []) =>
  isAllowedHost({ host, boundHost, allowedHosts, machineNames: machine });

describe('hostnameOf', () => {
  it.each([
    ['127.0.0.1:8045', '127.0.0.1'],
    ['LOCALHOST', 'localhost'],
    ['localhost.:8045', 'localhost'],
    ['[::1]:8045', '::1'],
    ['[::1]', '::1'],
    ['::1', '::1'],
    ['gateway.lan', 'gateway.lan'],
  ])('%s → %s', (header, name) => {
    expect(hostnameOf(header)).toBe(name);
  });

  it.each(['[::1', '[not-ip]:80', 'a b', 'evil.example/path', '', 'a..b'])('%j is not a host', (header) => {
    expect(hostnameOf(header)).toBeNull();
  });
});

describe('isAllowedHost bound to loopback (auth off in auto mode)', () => {
  it.each(['127.0.0.1:8045', '127.0.0.1', 'localhost:8045', 'localhost', '[::1]:8045', '127.1.2.3:9'])(
    'serves %s',
    (host) => {
      expect(check(host, '127.0.0.1')).toBe(true);
    },
  );

  it.each([
    'attacker.example',
    'attacker.example:8045',
    '192.168.1.20:8045',
    'my-box',
    '0.0.0.0:8045',
    'a b',
  ])('refuses %s (DNS rebinding)', (host) => {
    expect(check(host, '127.0.0.1')).toBe(false);
  });

  it('serves a name listed in proxy.allowed_hosts (any case, final dot) and anything with "*"', () => {
    expect(check('Gateway.Lan:8045', '127.0.0.1', ['gateway.lan.'])).toBe(true);
    expect(check('other.lan', '127.0.0.1', ['gateway.lan'])).toBe(false);
    expect(check('anything.example', '127.0.0.1', ['*'])).toBe(true);
  });

  it('serves a request without Host (HTTP/1.0; browsers always send one)', () => {
    expect(check(undefined, '127.0.0.1')).toBe(true);
  });
});

describe('isAllowedHost bound to the LAN', () => {
  it('serves the bound address, the machine addresses and its host name', () => {
    for (const host of ['192.168.1.20:8045', '[fe80::1]:8045', 'MY-BOX:8045', 'localhost']) {
      expect(check(host, '0.0.0.0'), host).toBe(true);
    }
    expect(check('10.0.0.5:8045', '10.0.0.5')).toBe(true);
    expect(check('192.168.1.20', '10.0.0.5')).toBe(true);
  });

  it('refuses other names', () => {
    expect(check('attacker.example', '0.0.0.0')).toBe(false);
    expect(check('10.9.9.9', '0.0.0.0')).toBe(false);
  });

  it('before listening, serves loopback names only', () => {
    expect(check('localhost', null)).toBe(true);
    expect(check('my-box', null)).toBe(false);
  });
});

describe('registerHostGuard', () => {
  it('refuses a name it served before once proxy.allowed_hosts no longer lists it', async () => {
    const app = Fastify();
    let allowedHosts: readonly string[] = ['gateway.example'];
    registerHostGuard(app, { boundHost: () => '127.0.0.1', allowedHosts: () => allowedHosts });
    app.get('/ping', async () => 'pong');
    const ask = () => app.inject({ method: 'GET', url: '/ping', headers: { host: 'gateway.example' } });
    expect((await ask()).statusCode).toBe(200);
    expect((await ask()).statusCode).toBe(200);
    allowedHosts = ['other.example'];
    expect((await ask()).statusCode).toBe(403);
    await app.close();
  });
});
