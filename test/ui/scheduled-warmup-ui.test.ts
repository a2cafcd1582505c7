/** The Monitor's scheduled warmup panel in Chromium against a real gateway with the schedule on. */
import { describe, expect, it } from 'vitest';
import { screenshot } from './support/browser.js';
import { openPage, signIn } from './support/ui-session.js';
import { defaultGatewayOptions, EMAILS, setUpUiTests } from './support/ui-test-env.js';

const env = setUpUiTests({
  gateway: (upstream) => ({
    ...defaultGatewayOptions(upstream),
    config: { proxy: { warmup: { schedule: { enabled: true, interval_minutes: 60 } } } },
  }),
});

describe('the Monitor with the scheduled warmup on', () => {
  it('shows per account the last warmup, its result and when the next one is due, and marks the warmups in the log', async () => {
    const { page, gateway, upstream } = env;
    await gateway.call('PATCH', `/api/accounts/${gateway.accountIds[EMAILS[2] ?? '']}`, {
      body: { disabled: true },
    });
    const warmup = gateway.runtime.services.accountServices.scheduledWarmup;
    await warmup?.tick();
    expect(upstream.hits('sk-one')).toBe(1);

    await signIn(page, { url: gateway.url, credential: gateway.apiKey });
    await openPage(page, 'Monitor');
    const panel = page.getByRole('region', { name: 'Scheduled warmup' });
    const row = (email: string) => panel.locator(`tr[data-warmup-account="${email}"]`);
    await row(EMAILS[0] ?? '')
      .getByText('ok · just now')
      .waitFor();
    expect(await row(EMAILS[0] ?? '').textContent()).toMatch(/gpt-5-mini.*in \d+(m|h)/);
    expect(await row(EMAILS[2] ?? '').textContent()).toContain('never');
    expect(await row(EMAILS[2] ?? '').textContent()).toContain('account is disabled');
    // The request log marks the warmups as such.
    await page.locator(`tr[data-account="${EMAILS[0]}"]`).getByText('scheduled warmup').waitFor();
    await screenshot(page, 'monitor-scheduled-warmup');
  });
});
