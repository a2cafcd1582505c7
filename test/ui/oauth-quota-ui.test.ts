/**
 * OAuth accounts in the web UI, in Chromium against a real gateway whose OAuth client and Code
 * Assist endpoints are the mock upstream: quota refresh of one account, a selection and all of
 * them; adding an account by signing in, through the browser's own redirect and by pasting it.
 */
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { systemClock } from '../../src/core/clock.js';
import { CLIENT_ID, oauthConfig } from '../oauth/oauth-gateway.js';
import type { HarnessAccount } from '../support/gateway-harness.js';
import { forbidden, type MockUpstream, ok, serverError, slowFirstByte } from '../support/mock-upstream.js';
import { screenshot } from './support/browser.js';
import { signIn } from './support/ui-session.js';
import { adminJson, setUpUiTests } from './support/ui-test-env.js';

/** A Code Assist account whose valid access token `at-<name>` the mock answers by. */
function codeAssistAccount(upstream: MockUpstream, name: string): HarnessAccount {
  return {
    provider: 'code-assist',
    email: `${name}@example.com`,
    refresh_token: `rt-${name}`,
    access_token: `at-${name}`,
    expires_at: systemClock.now() + 3600_000,
    token_url: `${upstream.url}/oauth/token`,
  };
}

const env = setUpUiTests({
  gateway: (upstream) => ({
    config: oauthConfig(upstream),
    accounts: [
      codeAssistAccount(upstream, 'ca'),
      codeAssistAccount(upstream, 'broken'),
      { provider: 'openai', email: 'key@example.com', api_key: 'sk-key', base_url: `${upstream.url}/v1` },
    ],
  }),
});
const api = <T>(method: string, path: string, body?: unknown) =>
  adminJson<T>(env.gateway, method, path, body);

interface AccountView {
  email: string;
  provider: string;
  tier: string | null;
  quota: Record<string, { remaining_fraction: number; source: string }>;
}

const accountsByEmail = async () =>
  Object.fromEntries(
    (await api<{ accounts: AccountView[] }>('GET', '/api/accounts')).accounts.map((account) => [
      account.email,
      account,
    ]),
  );

/** What the browser would do with a redirect: the Location of one GET, not followed. */
async function locationOf(url: string): Promise<string> {
  const answer = await request(url);
  await answer.body.dump();
  expect(answer.statusCode).toBe(302);
  return String(answer.headers['location']);
}

describe('quota refresh in the web UI', () => {
  it('refreshes one account from its row (new tier and quota bars), then every account', async () => {
    const { page, gateway, upstream } = env;
    upstream.setDefault(
      'at-ca',
      ok({
        codeAssist: { paidTierId: 'g1-pro-tier' },
        models: [
          { id: 'gemini-2.5-pro', remainingFraction: 0.42, resetInSeconds: 3600 },
          { id: 'gemini-2.5-flash', remainingFraction: 0.9 },
        ],
      }),
    );
    await signIn(page, { url: gateway.url, credential: gateway.apiKey });
    const row = page.locator('tr[data-account="ca@example.com"]');
    await row.getByText('No quota reported yet').waitFor();

    await row.getByRole('button', { name: 'Refresh quota of ca@example.com' }).click();
    const report = page.getByRole('region', { name: 'Quota refresh' });
    const line = report.locator('li[data-account="ca@example.com"][data-outcome="refreshed"]');
    await line.waitFor();
    expect(await line.textContent()).toContain('2 models · lowest gemini-2.5-pro 42% · tier PRO');
    expect(await report.getByRole('heading').textContent()).toBe('Quota refresh: 1 refreshed');
    await row.getByText('42%').waitFor();
    await row.getByText('PRO', { exact: true }).waitFor();
    expect(await row.textContent()).toMatch(/resets in (59m \d\ds|1h 00m)/);
    expect((await accountsByEmail())['ca@example.com']).toMatchObject({
      tier: 'PRO',
      quota: { 'gemini-2.5-pro': { remaining_fraction: 0.42, source: 'api' } },
    });
    await screenshot(page, 'quota-refresh-one');

    await page.getByRole('button', { name: 'Refresh all quotas' }).click();
    await report.getByRole('heading', { name: 'Quota refresh: 2 refreshed, 1 skipped' }).waitFor();
    const skipped = report.locator('li[data-account="key@example.com"][data-outcome="skipped"]');
    expect(await skipped.textContent()).toContain('no quota API for provider openai');
    await report.locator('li[data-account="broken@example.com"][data-outcome="refreshed"]').waitFor();
    await report.getByRole('button', { name: 'Dismiss' }).click();
    await report.waitFor({ state: 'detached' });
  });

  it('refreshes the selected accounts with progress, and shows the error of the one that failed', async () => {
    const { page, gateway, upstream } = env;
    // This account's first Code Assist call answers slowly and the next fails: the other one is done first.
    upstream.script('at-broken', slowFirstByte(2000), serverError(500));
    await signIn(page, { url: gateway.url, credential: gateway.apiKey });
    for (const email of ['ca@example.com', 'broken@example.com'])
      await page.getByRole('checkbox', { name: `Select ${email}` }).check();

    await page
      .getByRole('region', { name: 'Bulk actions' })
      .getByRole('button', { name: 'Refresh quota' })
      .click();
    const report = page.getByRole('region', { name: 'Quota refresh' });
    await report.getByText('Refreshing quota: 1 of 2 accounts done…').waitFor();
    await page.locator('tr[data-account="broken@example.com"]').getByText('Refreshing…').waitFor();
    await screenshot(page, 'quota-refresh-progress');

    await report.getByRole('heading', { name: 'Quota refresh: 1 refreshed, 1 failed' }).waitFor();
    const failed = report.locator('li[data-account="broken@example.com"][data-outcome="failed"]');
    expect((await failed.locator('.refresh-error').textContent())?.length).toBeGreaterThan(0);
    await report.locator('li[data-account="ca@example.com"][data-outcome="refreshed"]').waitFor();
    expect(await report.locator('li').count()).toBe(2);
    await page.getByRole('alert').filter({ hasText: 'Quota refresh: 1 refreshed, 1 failed' }).waitFor();
    await screenshot(page, 'quota-refresh-selection');
  });
});

describe('OAuth sign-in in the web UI', () => {
  it('offers sign-in for the configured provider only, and adds the account when the browser comes back', async () => {
    const { page, gateway, upstream } = env;
    expect((await api<{ features: unknown }>('GET', '/api/proxy/status')).features).toEqual({
      oauth_login: ['code-assist'],
      quota_refresh: true,
    });
    upstream.script(CLIENT_ID, ok({ login: { email: 'signed-in@example.com' } }));
    await signIn(page, { url: gateway.url, credential: gateway.apiKey });
    await page.getByRole('button', { name: 'Add account' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add account' });
    await dialog.getByRole('tab', { name: 'Sign in with OAuth' }).click();
    const providers = await dialog.getByLabel('Provider').locator('option').allTextContents();
    expect(providers).toEqual(['Google Code Assist (OAuth)']);
    await dialog.getByRole('button', { name: 'Start sign-in' }).click();
    const link = dialog.getByRole('link', { name: 'Open the sign-in page' });
    const authorization = new URL((await link.getAttribute('href')) ?? '');
    expect(`${authorization.origin}${authorization.pathname}`).toBe(`${upstream.url}/oauth/authorize`);
    expect(authorization.searchParams.get('redirect_uri')).toBe(`${gateway.url}/auth/callback`);
    expect(await dialog.getByTestId('oauth-waiting').textContent()).toContain(`${gateway.url}/auth/callback`);
    await screenshot(page, 'oauth-waiting');

    // The user opens the sign-in page in a new tab; the provider sends the browser back to the gateway.
    const [tab] = await Promise.all([page.context().waitForEvent('page'), link.click()]);
    await tab.getByRole('heading', { name: 'Account connected' }).waitFor();
    expect(await tab.textContent('body')).toContain('signed-in@example.com was added');
    await tab.close();

    await page.getByRole('status').filter({ hasText: 'Added signed-in@example.com' }).waitFor();
    await dialog.waitFor({ state: 'hidden' });
    await page.locator('tr[data-account="signed-in@example.com"]').waitFor();
    expect((await accountsByEmail())['signed-in@example.com']).toMatchObject({ provider: 'code-assist' });
    await screenshot(page, 'oauth-added');
  });

  it('completes a sign-in with the pasted redirect URL when the browser cannot reach the gateway', async () => {
    const { page, gateway, upstream } = env;
    upstream.script(CLIENT_ID, ok({ login: { email: 'pasted@example.com' } }));
    await signIn(page, { url: gateway.url, credential: gateway.apiKey });
    await page.getByRole('button', { name: 'Add account' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add account' });
    await dialog.getByRole('tab', { name: 'Sign in with OAuth' }).click();
    await dialog.getByRole('button', { name: 'Start sign-in' }).click();
    const href = await dialog.getByRole('link', { name: 'Open the sign-in page' }).getAttribute('href');

    // Consent happens on another machine: the redirect to the gateway is never followed there.
    const redirect = await locationOf(href ?? '');
    expect(redirect.startsWith(`${gateway.url}/auth/callback?`)).toBe(true);
    expect(Object.keys(await accountsByEmail())).not.toContain('pasted@example.com');
    await dialog.getByLabel('Redirect URL or code').fill(redirect);
    await dialog.getByRole('button', { name: 'Complete sign-in' }).click();

    await page.getByRole('status').filter({ hasText: 'Added pasted@example.com' }).waitFor();
    await dialog.waitFor({ state: 'hidden' });
    await page.locator('tr[data-account="pasted@example.com"]').waitFor();
    expect((await accountsByEmail())['pasted@example.com']).toMatchObject({ provider: 'code-assist' });
  });

  it('shows why a sign-in failed when the user declined, and a new sign-in then succeeds', async () => {
    const { page, gateway, upstream } = env;
    upstream.script(CLIENT_ID, forbidden(), ok({ login: { email: 'second-try@example.com' } }));
    await signIn(page, { url: gateway.url, credential: gateway.apiKey });
    await page.getByRole('button', { name: 'Add account' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add account' });
    await dialog.getByRole('tab', { name: 'Sign in with OAuth' }).click();
    await dialog.getByRole('button', { name: 'Start sign-in' }).click();
    const declined = await dialog.getByRole('link', { name: 'Open the sign-in page' }).getAttribute('href');

    // The browser comes back with error=access_denied; the gateway's callback page says so.
    const callback = await request(await locationOf(declined ?? ''));
    await callback.body.dump();
    expect(callback.statusCode).toBe(400);
    await dialog
      .getByRole('alert')
      .filter({ hasText: 'Sign-in failed (sign-in refused: access_denied)' })
      .waitFor();
    expect(await dialog.getByRole('link', { name: 'Open the sign-in page' }).count()).toBe(0);
    await screenshot(page, 'oauth-declined');

    await dialog.getByRole('button', { name: 'Start again' }).click();
    const second = await dialog.getByRole('link', { name: 'Open the sign-in page' }).getAttribute('href');
    expect(second).not.toBe(declined);
    const done = await request(await locationOf(second ?? ''));
    await done.body.dump();
    expect(done.statusCode).toBe(200);
    await page.locator('tr[data-account="second-try@example.com"]').waitFor();
    await dialog.waitFor({ state: 'hidden' });
  });
});
