/**
 * Client keys and usage in a real browser (Debian's Chromium): a team lead creates a key and sees
 * its secret exactly once, the key is used through the proxy, the Usage page shows its usage grow,
 * and the key is revoked from the Keys page — each step checked on the running gateway too.
 */
import { describe, expect, it, vi } from 'vitest';
import { ANY_KEY, ok } from '../support/mock-upstream.js';
import { screenshot } from './support/browser.js';
import { openPage, signIn, WAIT_MS } from './support/ui-session.js';
import { adminJson, defaultGatewayOptions, setUpUiTests } from './support/ui-test-env.js';

// Keys are checked on a gateway that requires one, as on a LAN.
const env = setUpUiTests({
  gateway: (upstream) => ({
    ...defaultGatewayOptions(upstream),
    config: { proxy: { auth_mode: 'all_except_health' } },
  }),
});

async function sendWithKey(secret: string, turn: number): Promise<number> {
  const result = await env.gateway.call('POST', '/v1/chat/completions', {
    admin: false,
    headers: { authorization: `Bearer ${secret}` },
    body: { model: 'gpt-4o', messages: [{ role: 'user', content: `turn ${turn} of the nightly build job` }] },
  });
  return result.status;
}

/** The Usage table's cell of `field` in the row of `group`, as text. */
function usageCell(group: string, field: string) {
  return env.page.locator(`tr[data-usage-group="${group}"] td[data-field="${field}"]`);
}

describe('keys and usage in the web UI', () => {
  it('creates a key shown once, shows its usage growing, and revokes it', async () => {
    const { page, gateway, upstream } = env;
    upstream.setDefault(ANY_KEY, ok({ usage: { inputTokens: 1000, outputTokens: 250, cacheReadTokens: 0 } }));
    await signIn(page, { url: gateway.url, credential: gateway.apiKey });

    await openPage(page, 'Keys');
    await page.getByRole('button', { name: 'Create key' }).click();
    const form = page.getByRole('dialog', { name: 'Create key' });
    await form.getByLabel('Name').fill('ci-nightly');
    await form.getByLabel('Holder').fill('Build team');
    await form.getByLabel('Requests per minute').fill('30');
    await form.getByLabel('Estimated $ per day (UTC)').fill('5');
    await screenshot(page, 'key-form');
    await form.getByRole('button', { name: 'Create key' }).click();

    const shown = page.getByRole('dialog', { name: 'Copy the new key now' });
    const secret = await shown.getByTestId('issued-secret').inputValue();
    expect(secret).toMatch(/^sk-sy-[A-Za-z0-9_-]{43}$/);
    await screenshot(page, 'key-created-once');
    await shown.getByRole('button', { name: 'I have copied it' }).click();
    await shown.waitFor({ state: 'hidden' });
    const row = page.locator('tr[data-key="ci-nightly"]');
    await row.waitFor();
    expect(await row.textContent()).toContain('30 rpm · $5/day');
    expect(await page.content()).not.toContain(secret);
    const listed = await adminJson<{ keys: { name: string; owner: string; limits: unknown }[] }>(
      gateway,
      'GET',
      '/api/keys',
    );
    expect(listed.keys).toEqual([
      expect.objectContaining({
        name: 'ci-nightly',
        owner: 'Build team',
        limits: { requests_per_minute: 30, cost_per_day: 5 },
      }),
    ]);

    for (let turn = 0; turn < 3; turn++) expect(await sendWithKey(secret, turn)).toBe(200);
    await openPage(page, 'Usage');
    await page.getByLabel('Range').selectOption('24h');
    await usageCell('ci-nightly', 'requests').filter({ hasText: /^3$/ }).waitFor({ timeout: WAIT_MS });
    expect(await usageCell('ci-nightly', 'input_tokens').textContent()).toBe('3000');
    await page.locator('figure.chart svg').first().waitFor();
    await screenshot(page, 'usage-by-key');

    for (let turn = 3; turn < 5; turn++) expect(await sendWithKey(secret, turn)).toBe(200);
    // The page reloads the report every 10 s: the new requests appear without a reload.
    await usageCell('ci-nightly', 'requests').filter({ hasText: /^5$/ }).waitFor({ timeout: 20_000 });
    expect(await usageCell('ci-nightly', 'output_tokens').textContent()).toBe('1250');

    await openPage(page, 'Keys');
    await page.getByRole('button', { name: 'Revoke ci-nightly' }).click();
    await page.getByRole('dialog', { name: 'Revoke key' }).getByRole('button', { name: 'Revoke' }).click();
    await vi.waitFor(async () => expect(await sendWithKey(secret, 9)).toBe(401), { timeout: WAIT_MS });
    await page.getByText('No active keys.').waitFor();
    await page.getByLabel(/Show revoked keys/).check();
    await page.locator('tr[data-key="ci-nightly"][data-status="revoked"]').waitFor();
    expect(upstream.requests).toHaveLength(5);
  }, 60_000);

  it('rotates a key from the keyboard: the new secret works, the old one is refused', async () => {
    const { page, gateway } = env;
    const created = await adminJson<{ secret: string }>(gateway, 'POST', '/api/keys', { name: 'laptop' });
    await signIn(page, { url: gateway.url, credential: gateway.apiKey });
    await openPage(page, 'Keys');

    await page.getByRole('button', { name: 'Rotate laptop' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('dialog', { name: 'Rotate key' }).getByRole('button', { name: 'Rotate' }).focus();
    await page.keyboard.press('Enter');
    const shown = page.getByRole('dialog', { name: 'Copy the new key now' });
    const secret = await shown.getByTestId('issued-secret').inputValue();
    await page.keyboard.press('Escape');
    await shown.waitFor({ state: 'hidden' });

    expect(secret).not.toBe(created.secret);
    expect(await sendWithKey(secret, 1)).toBe(200);
    expect(await sendWithKey(created.secret, 2)).toBe(401);
  });

  it('fits a 390 px screen without sideways scrolling', async () => {
    const { page, gateway } = env;
    await adminJson(gateway, 'POST', '/api/keys', { name: 'phone', limits: { tokens_per_month: 1_000_000 } });
    await page.setViewportSize({ width: 390, height: 844 });
    await signIn(page, { url: gateway.url, credential: gateway.apiKey });
    for (const title of ['Keys', 'Usage'] as const) {
      await openPage(page, title);
      const overflow = Number(
        await page.evaluate('document.documentElement.scrollWidth - window.innerWidth'),
      );
      expect(overflow, `${title} scrolls sideways`).toBeLessThanOrEqual(0);
      await screenshot(page, `narrow-${title.toLowerCase()}`);
    }
  });
});
