/** Steps shared by the UI tests: sign in, move between pages, read the Monitor table. */
import type { Page } from 'playwright-core';

/** Every wait in the UI tests is bounded by this (generous: the machine may be busy with other suites). */
export const WAIT_MS = 15_000;

export async function signIn(page: Page, options: { url: string; credential: string }): Promise<void> {
  await page.goto(`${options.url}/`, { timeout: WAIT_MS });
  await page.getByLabel('Admin password or API key').fill(options.credential);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Pages' }).waitFor({ timeout: WAIT_MS });
}

export async function openPage(
  page: Page,
  title: 'Accounts' | 'API Proxy' | 'Keys' | 'Usage' | 'Monitor' | 'Settings',
): Promise<void> {
  await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: title }).click();
  await page.getByRole('heading', { level: 1, name: title }).waitFor({ timeout: WAIT_MS });
}

/** The account shown in the Monitor row of each request id, once every id has a row. */
export async function monitorAccounts(page: Page, requestIds: readonly string[]): Promise<string[]> {
  const accounts: string[] = [];
  for (const id of requestIds) {
    const row = page.locator(`tr[data-request-id="${id}"]`);
    await row.waitFor({ timeout: WAIT_MS });
    accounts.push((await row.getAttribute('data-account')) ?? '');
  }
  return accounts;
}
