/**
 * The web UI in a real browser (Debian's Chromium via playwright-core) against a real gateway and
 * the mock upstream: every control is used the way a person would, and its effect is checked on
 * the running gateway (admin API, response headers) and on the page.
 */
import { describe, expect, it, vi } from 'vitest';
import { rateLimited } from '../support/mock-upstream.js';
import { screenshot } from './support/browser.js';
import { monitorAccounts, openPage, signIn, WAIT_MS } from './support/ui-session.js';
import { adminJson, chat, EMAILS, setUpUiTests } from './support/ui-test-env.js';

const env = setUpUiTests();
const send = (conversation: string, model?: string) => chat(env.gateway, conversation, model);
const api = <T>(method: string, path: string, body?: unknown) =>
  adminJson<T>(env.gateway, method, path, body);

describe('the admin web UI', () => {
  it('signs in with the API key after refusing a wrong one, and lists the accounts', async () => {
    const { page, gateway } = env;
    await page.goto(`${gateway.url}/accounts`);
    await page.getByLabel('Admin password or API key').fill('sk-wrong-key');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'did not accept' }).waitFor();

    await page.getByLabel('Admin password or API key').fill(gateway.apiKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Accounts' }).waitFor();
    for (const email of EMAILS) await page.locator(`tr[data-account="${email}"]`).waitFor();
    expect(await page.locator('tr[data-account] [data-status="active"]').count()).toBe(3);
    await screenshot(page, 'sign-in-accounts');

    // The credential lives in this tab's session storage: a reload stays signed in.
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Accounts' }).waitFor();
  });

  it('adds an account with the API-key form', async () => {
    const { page, gateway, upstream } = env;
    await signIn(page, { url: gateway.url, credential: gateway.apiKey });
    await page.getByRole('button', { name: 'Add account' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add account' });
    await dialog.getByLabel('Provider').selectOption('openai');
    expect(await dialog.getByLabel('Base URL').getAttribute('placeholder')).toBe('https://api.openai.com/v1');
    await dialog.getByLabel('Email or name').fill('new@example.com');
    await dialog.getByLabel('API key').fill('sk-new');
    await dialog.getByLabel('Base URL').fill(`${upstream.url}/v1`);
    await dialog.getByLabel('Tier').selectOption('ULTRA');
    await dialog.getByLabel('Label').fill('from the UI');
    await dialog.getByRole('button', { name: 'Add account' }).click();

    const row = page.locator('tr[data-account="new@example.com"]');
    await row.waitFor();
    expect(await row.textContent()).toContain('ULTRA');
    const { accounts } = await api<{ accounts: { email: string; tier: string; label: string }[] }>(
      'GET',
      '/api/accounts',
    );
    expect(accounts.find((account) => account.email === 'new@example.com')).toMatchObject({
      tier: 'ULTRA',
      label: 'from the UI',
    });
    // ULTRA goes first in the round robin: the new account takes the next new conversation.
    expect((await send('fresh')).account).toBe('new@example.com');
    await screenshot(page, 'add-account');
  });

  it('switches to Performance First and the Monitor shows one conversation spread over the accounts', async () => {
    const { page, gateway } = env;
    await signIn(page, { url: gateway.url, credential: gateway.apiKey });
    await openPage(page, 'API Proxy');
    await page.getByRole('radio', { name: /Performance First/ }).check();
    await vi.waitFor(
      async () =>
        expect(await api('GET', '/api/proxy/scheduling')).toMatchObject({ mode: 'PerformanceFirst' }),
      {
        timeout: WAIT_MS,
      },
    );
    expect(await page.getByLabel('Max wait', { exact: true }).isDisabled()).toBe(true);

    await openPage(page, 'Monitor');
    await page.getByTestId('stream-state').filter({ hasText: 'Live' }).waitFor();
    const turns = [];
    for (let turn = 0; turn < 6; turn++) turns.push(await send('spread'));
    const shown = await monitorAccounts(
      page,
      turns.map((turn) => turn.requestId),
    );
    expect(shown).toEqual(turns.map((turn) => turn.account));
    expect(new Set(shown).size).toBe(3);
    await screenshot(page, 'performance-first-monitor');
  });

  it('pins a fixed account: every new request is served by it, as the headers and the Monitor agree', async () => {
    const { page, gateway } = env;
    await signIn(page, { url: gateway.url, credential: gateway.apiKey });
    await openPage(page, 'API Proxy');
    await page.getByLabel('Fixed account', { exact: true }).selectOption({ label: 'account2@example.com' });
    await page.getByLabel('Fixed account mode').check();
    await vi.waitFor(
      async () =>
        expect(await api('GET', '/api/proxy/fixed-account')).toEqual({
          account_id: gateway.accountIds['account2@example.com'],
          bypassed_reason: null,
        }),
      { timeout: WAIT_MS },
    );

    await openPage(page, 'Monitor');
    const served = [];
    for (const conversation of ['a', 'b', 'c', 'd']) served.push(await send(conversation));
    expect(served.map((turn) => turn.account)).toEqual(Array(4).fill('account2@example.com'));
    expect(
      await monitorAccounts(
        page,
        served.map((turn) => turn.requestId),
      ),
    ).toEqual(Array(4).fill('account2@example.com'));
    await screenshot(page, 'fixed-account-monitor');
  });

  it('shows the fallback and a live countdown while the fixed account is locked', async () => {
    const { page, gateway, upstream } = env;
    await api('PUT', '/api/proxy/fixed-account', {
      account_id: gateway.accountIds['account2@example.com'],
    });
    await signIn(page, { url: gateway.url, credential: gateway.apiKey });
    upstream.script('sk-two', rateLimited({ retryAfter: '60' }));
    const fallback = await send('locked');
    expect(fallback.account).not.toBe('account2@example.com');

    const badge = page.locator('tr[data-account="account2@example.com"] [data-status="locked"]');
    await badge.waitFor();
    const first = (await badge.textContent()) ?? '';
    // The page's clock ticks once a second, so a countdown read as the lock appears may still
    // count from the tick before it: one second more than the 60 s lock.
    expect(first).toMatch(/^Locked (1m 0[01]s|\d{1,2}s)$/);
    // The countdown ticks in the page, without waiting for the next poll of the gateway.
    await vi.waitFor(async () => expect(await badge.textContent()).not.toBe(first), {
      timeout: 3000,
      interval: 100,
    });
    await screenshot(page, 'locked-countdown');

    await openPage(page, 'API Proxy');
    const bypass = page.getByTestId('fixed-bypass');
    await bypass.waitFor();
    expect(await bypass.textContent()).toMatch(/rate-limited/);

    await openPage(page, 'Monitor');
    const row = page.locator(`tr[data-request-id="${fallback.requestId}"]`);
    await row.waitFor();
    expect(await row.getAttribute('data-account')).toBe(fallback.account);
    expect(await row.locator('td[data-label="Attempts"]').textContent()).toContain(
      `account2@example.com → ${fallback.account}`,
    );
    expect(await page.getByRole('list', { name: 'Active locks' }).textContent()).toContain(
      'account2@example.com',
    );
    await screenshot(page, 'locked-fallback-monitor');
  });

  it('clears the session bindings after a confirmation that shows how many there are', async () => {
    const { page, gateway } = env;
    await send('one');
    await send('two');
    await signIn(page, { url: gateway.url, credential: gateway.apiKey });
    await openPage(page, 'API Proxy');
    await page.getByTestId('binding-count').filter({ hasText: '2 conversations bound' }).waitFor();
    await page.getByRole('button', { name: 'Clear bindings…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Clear session bindings' });
    expect(await dialog.textContent()).toContain('2 conversations');
    await dialog.getByRole('button', { name: 'Clear bindings' }).click();
    await page.getByRole('status').filter({ hasText: 'Cleared 2 session bindings' }).waitFor();
    await page.getByTestId('binding-count').filter({ hasText: '0 conversations bound' }).waitFor();
    expect(await api('GET', '/api/proxy/status')).toMatchObject({ session_bindings: 0 });
    await screenshot(page, 'bindings-cleared');
  });

  it('sets and removes the admin password without ever showing it, and stays signed in', async () => {
    const { page, gateway } = env;
    const password = 'ui-admin-password-42';
    await signIn(page, { url: gateway.url, credential: gateway.apiKey });
    await openPage(page, 'API Proxy');
    const state = page.getByTestId('admin-password-state');
    await state.filter({ hasText: /^Not set$/ }).waitFor();
    await page.getByLabel('Admin password').fill(password);
    await page.getByRole('button', { name: 'Set', exact: true }).click();
    await state.filter({ hasText: /^Set$/ }).waitFor();
    expect(gateway.runtime.stores.config.get().proxy.admin_password).toBe(password);
    // Write-only: the API masks it, the page never holds it, and the tab now signs in with it.
    expect(await api<{ proxy: { admin_password: string } }>('GET', '/api/config')).toMatchObject({
      proxy: { admin_password: '********' },
    });
    expect(await page.getByLabel('Admin password').inputValue()).toBe('');
    expect(await page.content()).not.toContain(password);
    await page.reload();
    await state.filter({ hasText: /^Set$/ }).waitFor();

    await page.getByRole('button', { name: 'Remove…' }).click();
    await page
      .getByRole('dialog', { name: 'Remove the admin password' })
      .getByRole('button', { name: 'Remove' })
      .click();
    await state.filter({ hasText: /^Not set$/ }).waitFor();
    expect(gateway.runtime.stores.config.get().proxy.admin_password).toBeNull();
    await page.reload();
    await state.filter({ hasText: /^Not set$/ }).waitFor();
  });

  it('edits the model router and X-Mapped-Model follows each change', async () => {
    const { page, gateway, upstream } = env;
    await signIn(page, { url: gateway.url, credential: gateway.apiKey });
    await openPage(page, 'API Proxy');
    expect((await send('map-0')).mappedModel).toBe('gpt-4o');

    await page.getByLabel('New rule: model the client asks for').fill('gpt-4*');
    await page.getByLabel('New rule: model sent upstream').fill('gpt-4.1-mini');
    await page.getByRole('button', { name: 'Add rule' }).click();
    await page.locator('tr[data-mapping="gpt-4*"]').waitFor();
    expect((await send('map-1')).mappedModel).toBe('gpt-4.1-mini');

    await page.getByRole('button', { name: 'Edit the rule for gpt-4*' }).click();
    await page.getByLabel('Model sent upstream', { exact: true }).fill('gpt-4o-mini');
    await page.getByRole('button', { name: 'Save the rule for gpt-4*' }).click();
    await page.locator('tr[data-mapping="gpt-4*"]').filter({ hasText: 'gpt-4o-mini' }).waitFor();
    expect((await send('map-2')).mappedModel).toBe('gpt-4o-mini');
    expect(upstream.requests.at(-1)?.body).toMatchObject({ model: 'gpt-4o-mini' });

    await page.getByLabel('Test a model name').fill('gpt-4o');
    await page.getByRole('button', { name: 'Test', exact: true }).click();
    const result = page.getByTestId('mapping-result');
    await result.filter({ hasText: 'gpt-4o-mini' }).waitFor();
    expect(await result.textContent()).toContain('wildcard rule gpt-4*');
    await screenshot(page, 'model-router');
  });

  it('fits a 390 px screen without sideways scrolling, in the dark theme', async () => {
    const { page, gateway } = env;
    await page.setViewportSize({ width: 390, height: 844 });
    await signIn(page, { url: gateway.url, credential: gateway.apiKey });
    await page.getByRole('button', { name: 'Switch to dark theme' }).click();
    expect(await page.locator('html').getAttribute('data-theme')).toBe('dark');
    for (const title of ['Accounts', 'API Proxy', 'Monitor', 'Settings'] as const) {
      await openPage(page, title);
      // A string runs in the page: this file is type-checked without the DOM library.
      const overflow = Number(
        await page.evaluate('document.documentElement.scrollWidth - window.innerWidth'),
      );
      expect(overflow, `${title} scrolls sideways`).toBeLessThanOrEqual(0);
      await screenshot(page, `narrow-dark-${title.toLowerCase().replace(' ', '-')}`);
    }
  });
});
