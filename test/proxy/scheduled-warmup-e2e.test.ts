import { rm } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { SCHEDULED_WARMUP_PATH } from '../../src/warmup/warmup-request.js';
import { type GatewayHarness, type HarnessAccount, startGateway } from '../support/gateway-harness.js';
import { pick } from '../support/http-call.js';
import { type MockUpstream, startMockUpstream } from '../support/mock-upstream.js';
import { ShiftedClock } from '../support/shifted-clock.js';

const HOUR = 60 * 60 * 1000;

let upstream: MockUpstream;
let gateway: GatewayHarness;

/** A data directory a restarted gateway reuses (the harness removes only the ones it created). */
let reusedDir: string | null = null;

afterEach(async () => {
  await gateway.close();
  await upstream.close();
  if (reusedDir) await rm(reusedDir, { recursive: true, force: true });
  reusedDir = null;
});

const account = (name: string): HarnessAccount => ({
  provider: 'anthropic',
  email: `${name}@example.com`,
  api_key: `sk-${name}`,
  base_url: upstream.url,
});

async function start(options: { config?: Record<string, unknown>; clock?: ShiftedClock }) {
  upstream = await startMockUpstream();
  gateway = await startGateway({
    ...options,
    accounts: ['ok1', 'ok2', 'off', 'proxy-off', 'locked'].map(account),
  });
  const ids = gateway.accountIds;
  await gateway.call('PATCH', `/api/accounts/${ids['off@example.com']}`, { body: { disabled: true } });
  await gateway.call('PATCH', `/api/accounts/${ids['proxy-off@example.com']}`, {
    body: { proxy_disabled: true },
  });
  const now = (options.clock ?? new ShiftedClock()).now();
  await gateway.runtime.services.state.setLock({
    accountId: ids['locked@example.com'] ?? '',
    scope: 'account',
    model: null,
    reason: 'QuotaExhausted',
    source: 'retry-after',
    until: now + 3 * HOUR,
    detectedAt: now,
    message: null,
  });
}

const warmup = () => {
  const scheduled = gateway.runtime.services.accountServices.scheduledWarmup;
  if (!scheduled) throw new Error('the gateway has no scheduled warmup');
  return scheduled;
};

const hits = () => ['ok1', 'ok2', 'off', 'proxy-off', 'locked'].map((name) => upstream.hits(`sk-${name}`));

describe('scheduled warmup', () => {
  it('warms each eligible account once per interval through the gateway, none of the others', async () => {
    const clock = new ShiftedClock();
    await start({
      clock,
      config: { proxy: { warmup: { schedule: { enabled: true, interval_minutes: 60 } } } },
    });

    await warmup().tick();
    await warmup().tick();
    expect(hits()).toEqual([1, 1, 0, 0, 0]);
    expect(upstream.requests.at(-1)?.body).toMatchObject({ model: 'claude-haiku-4-5', max_tokens: 1 });

    clock.shift(HOUR);
    await warmup().tick();
    await warmup().tick();
    expect(hits()).toEqual([2, 2, 0, 0, 0]);

    // The lock is over: the account is warmed in its window, once.
    clock.shift(2 * HOUR);
    await warmup().tick();
    await warmup().tick();
    expect(hits()).toEqual([3, 3, 0, 0, 1]);
  });

  it('logs each warmup as a scheduled one, of no client key, and shows the last and next in the Monitor answer', async () => {
    const clock = new ShiftedClock();
    await start({
      clock,
      config: { proxy: { warmup: { schedule: { enabled: true, interval_minutes: 60 } } } },
    });
    await warmup().tick();

    await gateway.runtime.services.observability.writer.flush();
    const logs = (await gateway.call('GET', `/api/logs?q=${encodeURIComponent(SCHEDULED_WARMUP_PATH)}`)).json;
    const rows = pick(logs, 'logs') as Array<Record<string, unknown>>;
    expect(rows.map((row) => row['account_email']).sort()).toEqual(['ok1@example.com', 'ok2@example.com']);
    for (const row of rows)
      expect(row).toMatchObject({ path: SCHEDULED_WARMUP_PATH, client_key_id: null, status: 200 });

    const status = (await gateway.call('GET', '/api/proxy/warmup')).json;
    expect(pick(status, 'enabled')).toBe(true);
    const targets = pick(status, 'targets') as Array<Record<string, unknown>>;
    const byEmail = new Map(targets.map((target) => [target['email'], target]));
    expect(byEmail.get('ok1@example.com')).toMatchObject({
      state: 'done',
      last_result: 'ok',
      last_error: null,
    });
    const next = Date.parse(String(byEmail.get('ok1@example.com')?.['next_due_at']));
    expect(next).toBeGreaterThan(clock.now());
    expect(next).toBeLessThanOrEqual(clock.now() + HOUR);
    expect(byEmail.get('off@example.com')).toMatchObject({ state: 'skipped', last_at: null });
    expect(byEmail.get('locked@example.com')).toMatchObject({ state: 'skipped' });
    expect(String(byEmail.get('locked@example.com')?.['reason'])).toContain('rate-limited');
  });

  it('after a restart, does not warm again an account warmed in its current window (read from the request log)', async () => {
    const config = { proxy: { warmup: { schedule: { enabled: true, interval_minutes: 60 } } } };
    await start({ config });
    await warmup().tick();
    expect(hits()).toEqual([1, 1, 0, 0, 0]);
    const { dataDir } = gateway;
    reusedDir = dataDir;
    await gateway.runtime.services.observability.writer.flush();
    await gateway.runtime.stop();

    gateway = await startGateway({ dataDir, config });
    await warmup().tick();
    expect(hits()).toEqual([1, 1, 0, 0, 0]);
    const targets = pick((await gateway.call('GET', '/api/proxy/warmup')).json, 'targets') as Array<
      Record<string, unknown>
    >;
    expect(targets.find((target) => target['email'] === 'ok1@example.com')).toMatchObject({
      state: 'done',
      last_result: 'ok',
    });
  });

  it('sends nothing by default (the schedule is off)', async () => {
    await start({});
    await warmup().tick();
    expect(upstream.requests).toHaveLength(0);
    const status = (await gateway.call('GET', '/api/proxy/warmup')).json;
    expect(status).toEqual({ enabled: false, interval_minutes: 300, targets: [] });
  });
});
