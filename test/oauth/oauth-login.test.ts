import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { request } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runLogin } from '../../src/cli/login-command.js';
import { readImportDocument } from '../../src/cli/read-import-document.js';
import { systemClock } from '../../src/core/clock.js';
import { systemIds } from '../../src/core/ids.js';
import { temporaryDirectory } from '../foundation/run-cli.js';
import type { GatewayHarness } from '../support/gateway-harness.js';
import { pick } from '../support/http-call.js';
import { invalidGrant, type MockUpstream, ok, startMockUpstream } from '../support/mock-upstream.js';
import {
  accountsByEmail,
  CLIENT_ID,
  expiredAccount,
  generate,
  oauthConfig,
  startOAuthGateway,
} from './oauth-gateway.js';

let upstream: MockUpstream;
let gateway: GatewayHarness | null = null;
const cleanups: Array<() => Promise<void>> = [];

beforeAll(async () => {
  upstream = await startMockUpstream();
});
afterEach(async () => {
  await gateway?.close();
  gateway = null;
  for (const cleanup of cleanups.splice(0)) await cleanup();
  upstream.reset();
});
afterAll(() => upstream.close());

/** What a browser does with the authorization URL: the mock consents and redirects; returns the Location. */
async function consent(authorizationUrl: string): Promise<string> {
  const answer = await request(authorizationUrl);
  await answer.body.dump();
  expect(answer.statusCode).toBe(302);
  return String(answer.headers['location']);
}

async function startSignIn(harness: GatewayHarness) {
  const started = await harness.call('POST', '/api/accounts/oauth/start', { body: {} });
  expect(started.status).toBe(200);
  return started.json as { state: string; authorization_url: string; redirect_uri: string };
}

describe('sign-in through the admin API', () => {
  it('authorization URL → browser callback → stored account, usable at once', async () => {
    gateway = await startOAuthGateway(upstream);
    upstream.script(CLIENT_ID, ok({ login: { email: 'signed-in@example.com' } }));

    const started = await startSignIn(gateway);
    expect(started.redirect_uri).toBe(`${gateway.url}/auth/callback`);
    const authorization = new URL(started.authorization_url);
    expect(`${authorization.origin}${authorization.pathname}`).toBe(`${upstream.url}/oauth/authorize`);
    expect(authorization.searchParams.get('code_challenge_method')).toBe('S256');
    const location = await consent(started.authorization_url);
    expect(location.startsWith(`${gateway.url}/auth/callback?`)).toBe(true);

    const callback = await request(location);
    const page = await callback.body.text();

    expect(callback.statusCode).toBe(200);
    expect(callback.headers['content-type']).toContain('text/html');
    expect(page).toContain('signed-in@example.com was added');
    const stored = (await accountsByEmail(gateway))['signed-in@example.com'];
    expect(stored).toMatchObject({
      provider: 'code-assist',
      disabled: false,
      credential: { type: 'oauth', has_refresh_token: true },
    });
    expect(pick((await gateway.call('GET', `/api/accounts/oauth/${started.state}`)).json, 'status')).toBe(
      'completed',
    );
    expect((await generate(gateway, 'first request on the new account')).headers['x-account-email']).toBe(
      'signed-in@example.com',
    );
  });

  it('completes with a pasted redirect URL, naming the account through userinfo', async () => {
    gateway = await startOAuthGateway(upstream);
    upstream.script(CLIENT_ID, ok({ login: { email: 'headless@example.com', idToken: false } }));
    const location = await consent((await startSignIn(gateway)).authorization_url);

    const completed = await gateway.call('POST', '/api/accounts/oauth/complete', {
      body: { redirect_url: location },
    });

    expect(completed.status).toBe(200);
    expect(completed.json).toMatchObject({ created: true, account: { email: 'headless@example.com' } });
    expect(upstream.requests.some((entry) => entry.path === '/oauth/userinfo')).toBe(true);
  });

  it('re-enables an account revoked with invalid_grant when the user signs in again', async () => {
    gateway = await startOAuthGateway(upstream, {
      accounts: [
        expiredAccount('mock-user@example.com', 'rt-old'),
        expiredAccount('other@example.com', 'rt-other'),
      ],
    });
    upstream.setDefault('rt-old', invalidGrant());
    for (let index = 0; index < 3; index++)
      await generate(gateway, `until the revoked account is tried ${index}`);
    await gateway.call('POST', `/api/accounts/${gateway.accountIds['mock-user@example.com']}/refresh-quota`);
    expect((await accountsByEmail(gateway))['mock-user@example.com']?.disabled).toBe(true);

    const location = await consent((await startSignIn(gateway)).authorization_url);
    const completed = await gateway.call('POST', '/api/accounts/oauth/complete', {
      body: { redirect_url: location },
    });

    expect(completed.json).toMatchObject({
      created: false,
      account: { email: 'mock-user@example.com', disabled: false },
    });
  });

  it('shows a readable page for a declined consent and a forged state', async () => {
    gateway = await startOAuthGateway(upstream);
    const started = await startSignIn(gateway);

    const declined = await request(`${gateway.url}/auth/callback?state=${started.state}&error=access_denied`);
    const forged = await request(`${gateway.url}/auth/callback?state=not-ours&code=c`);

    expect(declined.statusCode).toBe(400);
    expect(await declined.body.text()).toContain('access_denied');
    expect(forged.statusCode).toBe(404);
    expect(await forged.body.text()).toContain('Unknown or expired sign-in');
  });

  it('tells the user to configure a client when there is none', async () => {
    gateway = await startOAuthGateway(upstream, { config: { oauth: { clients: {} } } });

    const started = await gateway.call('POST', '/api/accounts/oauth/start', {
      body: { provider: 'code-assist' },
    });

    expect(started.status).toBe(400);
    expect(pick(started.json, 'error', 'message')).toBe(
      'Cannot sign in: no OAuth client is configured for provider code-assist: add the client the tokens were issued to with `switchyard oauth client add --provider code-assist --client-id <id> --client-secret -` (or set oauth.clients["code-assist"] in gui_config.json)',
    );
  });
});

describe('switchyard accounts login', () => {
  async function dataDirWithConfig(): Promise<string> {
    const directory = await temporaryDirectory();
    cleanups.push(directory.remove);
    await writeFile(join(directory.path, 'gui_config.json'), JSON.stringify(oauthConfig(upstream)));
    return directory.path;
  }

  function login(dataDir: string, input: PassThrough) {
    const output = new PassThrough();
    let printed = '';
    output.on('data', (chunk: Buffer) => {
      printed += chunk.toString();
    });
    const done = runLogin({
      dataDir,
      secretKey: undefined,
      provider: 'code-assist',
      port: 0,
      input,
      output,
      clock: systemClock,
      ids: systemIds,
    });
    const url = async () => {
      await expect.poll(() => /https?:\/\/\S+\/oauth\/authorize\S+/.exec(printed)).not.toBeNull();
      return /https?:\/\/\S+\/oauth\/authorize\S+/.exec(printed)?.[0] ?? '';
    };
    return { done, url };
  }

  it('prints the URL and stores the account when the browser comes back to its loopback server', async () => {
    const dataDir = await dataDirWithConfig();
    upstream.script(CLIENT_ID, ok({ login: { email: 'cli@example.com' } }));
    const { done, url } = login(dataDir, new PassThrough());

    const location = await consent(await url());
    expect(location).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/auth\/callback\?/);
    const callback = await request(location);
    await callback.body.dump();
    const result = await done;

    expect(callback.statusCode).toBe(200);
    expect(result).toMatchObject({
      created: true,
      account: { email: 'cli@example.com', provider: 'code-assist' },
    });
    gateway = await startOAuthGateway(upstream, { dataDir });
    expect((await accountsByEmail(gateway))['cli@example.com']?.credential.type).toBe('oauth');
  });

  it('accepts a pasted code on standard input', async () => {
    const dataDir = await dataDirWithConfig();
    upstream.script(CLIENT_ID, ok({ login: { email: 'pasted@example.com' } }));
    const input = new PassThrough();
    const { done, url } = login(dataDir, input);

    const code = new URL(await consent(await url())).searchParams.get('code');
    input.write(`\n${code}\n`);

    expect((await done).account.email).toBe('pasted@example.com');
  });
});

describe('importing the reference accounts/ folder', () => {
  it('reads every *.json file of a directory as entries, and the admin import stores them', async () => {
    const directory = await temporaryDirectory();
    cleanups.push(directory.remove);
    const folder = join(directory.path, 'accounts');
    await mkdir(folder);
    const file = (email: string, refreshToken: string) => ({
      id: `${email}-id`,
      email,
      token: {
        access_token: 'ya29.x',
        refresh_token: refreshToken,
        expires_in: 3599,
        expiry_timestamp: 1,
        token_type: 'Bearer',
      },
      disabled: false,
    });
    await writeFile(join(folder, 'b.json'), JSON.stringify(file('b@gmail.com', '1//refresh-b')));
    await writeFile(join(folder, 'a.json'), JSON.stringify(file('a@gmail.com', '1//refresh-a')));
    await writeFile(join(folder, 'notes.txt'), 'not an account');

    const document = await readImportDocument(folder);
    gateway = await startOAuthGateway(upstream);
    const imported = await gateway.call('POST', '/api/accounts/import', { body: document });

    expect((document as Array<{ email: string }>).map((entry) => entry.email)).toEqual([
      'a@gmail.com',
      'b@gmail.com',
    ]);
    expect(imported.status).toBe(200);
    expect(Object.keys(await accountsByEmail(gateway)).sort()).toEqual(['a@gmail.com', 'b@gmail.com']);
  });
});
