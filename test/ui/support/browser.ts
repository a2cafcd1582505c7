/**
 * Debian's Chromium driven by playwright-core, for the UI tests. Never downloads a browser: the test
 * command (scripts/test.sh) installs the `chromium` package when it is missing.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Where screenshots go (gitignored). */
export const SCREENSHOT_DIR = join(process.cwd(), 'test-results', 'ui');

/**
 * Launches headless Chromium. Playwright's `launch` gives every browser a fresh temporary profile
 * (user data directory), removed on close.
 */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `The UI tests need Chromium at ${CHROMIUM_PATH}: run \`apt-get update && apt-get install -y chromium\` (or npm test as root).`,
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    timeout: 30_000,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

/** Saves a full-page screenshot as `test-results/ui/<name>.png`. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}
