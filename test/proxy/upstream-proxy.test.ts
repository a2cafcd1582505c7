import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type ForwardProxy, startConnectProxy, startSocks5Proxy } from '../support/forward-proxy.js';
import { type GatewayHarness, startGateway } from '../support/gateway-harness.js';
import { pick } from '../support/http-call.js';
import { type MockUpstream, startMockUpstream } from '../support/mock-upstream.js';
import { sampleChat } from '../support/sample-requests.js';

/** A name this machine cannot resolve: only a proxy that resolves names itself can reach it. */
const UPSTREAM_HOST = 'upstream.switchyard.test';

let upstream: MockUpstream;
let proxy: ForwardProxy | null = null;
let gateway: GatewayHarness | null = null;

beforeAll(async () => {
  upstream = await startMockUpstream();
});
afterEach(async () => {
  await gateway?.close();
  await proxy?.close();
  gateway = null;
  proxy = null;
  upstream.reset();
});
afterAll(() => upstream.close());

async function gatewayThrough(url: string): Promise<GatewayHarness> {
  const port = new URL(upstream.url).port;
  return startGateway({
    config: { proxy: { upstream_proxy: { enabled: true, url } } },
    accounts: [
      {
        provider: 'openai',
        email: 'proxied@example.com',
        api_key: 'sk-proxied',
        base_url: `http://${UPSTREAM_HOST}:${port}/v1`,
      },
    ],
  });
}

describe('proxy.upstream_proxy', () => {
  it.each([
    ['socks5h', (socks: string) => socks.replace('socks5:', 'socks5h:')],
    ['socks5', (socks: string) => socks],
    ['socks', (socks: string) => socks.replace('socks5:', 'socks:')],
  ])('sends upstream traffic through a %s:// proxy, which resolves the host name', async (_scheme, url) => {
    proxy = await startSocks5Proxy({ hosts: { [UPSTREAM_HOST]: '127.0.0.1' } });
    gateway = await gatewayThrough(url(proxy.url));

    const answer = await gateway.call('POST', '/v1/chat/completions', { body: sampleChat('via socks') });

    expect(answer.status).toBe(200);
    expect(pick(answer.json, 'choices', 0, 'message', 'content')).toBe('echo: via socks');
    expect(proxy.targets).toEqual([`${UPSTREAM_HOST}:${new URL(upstream.url).port}`]);
    expect(upstream.hits('sk-proxied')).toBe(1);
  });

  it('sends upstream traffic through an http:// proxy (CONNECT)', async () => {
    proxy = await startConnectProxy({ hosts: { [UPSTREAM_HOST]: '127.0.0.1' } });
    gateway = await gatewayThrough(proxy.url);

    const answer = await gateway.call('POST', '/v1/chat/completions', { body: sampleChat('via connect') });

    expect(answer.status).toBe(200);
    expect(proxy.targets).toEqual([`${UPSTREAM_HOST}:${new URL(upstream.url).port}`]);
  });

  it.each(['socks4', 'socks4a'])(
    'refuses a %s:// proxy with the schemes it supports, and keeps the config',
    async (scheme) => {
      gateway = await startGateway();

      const refused = await gateway.call('PUT', '/api/config', {
        body: { proxy: { upstream_proxy: { enabled: true, url: `${scheme}://127.0.0.1:1080` } } },
      });

      expect(refused.status).toBe(400);
      expect(pick(refused.json, 'error', 'message')).toBe(
        `proxy.upstream_proxy.url: ${scheme}:// is not supported (undici has no SOCKS4 client): use http://, https://, socks5://, socks5h:// or socks:// (SOCKS5)`,
      );
      const config = await gateway.call('GET', '/api/config');
      expect(pick(config.json, 'proxy', 'upstream_proxy')).toEqual({ enabled: false, url: '' });
    },
  );
});
