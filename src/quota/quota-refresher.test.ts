import { afterEach, describe, expect, it } from 'vitest';
import type { Account, ModelQuota } from '../core/account.js';
import { MemoryAccountPool } from '../core/account-pool.js';
import { FakeClock } from '../core/clock.js';
import type { RateLimitLock } from '../core/limits.js';
import { silentLogger } from '../observability/logger.js';
import type { CredentialProvider } from '../providers/auth/credential-provider.js';
import type { AuthorizedCredential } from '../providers/provider-adapter.js';
import { DEFAULT_WINDOW_MS, RateLimitTracker, type SchedulerConfig } from '../scheduler/index.js';
import { MemoryStateStore } from '../state/memory-state-store.js';
import { type AccountPatch, applyAccountPatch, newAccount } from '../store/account-patch.js';
import { QuotaRefresher } from './quota-refresher.js';
import type { QuotaReading, QuotaSource } from './quota-source.js';

const MINUTE = 60_000;

const SCHEDULER_CONFIG: SchedulerConfig = {
  scheduling: {
    mode: 'Balance',
    maxWaitSeconds: 60,
    quotaProtection: { enabled: false, thresholdPercentage: 10, monitoredModels: [] },
    windowMs: DEFAULT_WINDOW_MS,
  },
  circuitBreaker: { enabled: true, backoffSteps: [60], maxLockSeconds: 86_400 },
};

function oauthAccount(id: string, overrides: Partial<Account> = {}): Account {
  return {
    ...newAccount(
      {
        provider: 'code-assist',
        email: `${id}@example.com`,
        credential: {
          type: 'oauth',
          refreshToken: `rt-${id}`,
          accessToken: null,
          expiresAt: null,
          tokenUrl: null,
          clientId: null,
          clientSecret: null,
        },
      },
      { id, now: 0 },
    ),
    ...overrides,
  };
}

/** A quota source whose reads can be held open to watch concurrency. */
class FakeSource implements QuotaSource {
  reads: Array<{ id: string; token: string }> = [];
  active = 0;
  maxActive = 0;
  hold: Promise<void> | null = null;
  answer: (account: Account, call: number) => QuotaReading | Error = () => ({
    models: { 'gemini-2.5-pro': { remainingFraction: 0.5, resetAt: 123 } },
  });

  supports(account: Account): boolean {
    return account.provider === 'code-assist';
  }

  async read(account: Account, credential: AuthorizedCredential): Promise<QuotaReading> {
    this.reads.push({ id: account.id, token: credential.value });
    this.active++;
    this.maxActive = Math.max(this.maxActive, this.active);
    try {
      if (this.hold) await this.hold;
      const outcome = this.answer(account, this.reads.length);
      if (outcome instanceof Error) throw outcome;
      return outcome;
    } finally {
      this.active--;
    }
  }
}

let refresher: QuotaRefresher | null = null;
afterEach(async () => {
  await refresher?.stop();
  refresher = null;
});

async function setup(options: { accounts?: Account[]; enabled?: boolean } = {}) {
  const clock = new FakeClock();
  const pool = new MemoryAccountPool(options.accounts ?? [oauthAccount('a')]);
  const recorded: Array<{ id: string; model: string; quota: ModelQuota }> = [];
  const state = await MemoryStateStore.create({ clock });
  const source = new FakeSource();
  const authorizations: Array<{ id: string; force: boolean }> = [];
  const credentials: CredentialProvider = {
    async authorize(account, authorizeOptions) {
      authorizations.push({ id: account.id, force: authorizeOptions?.forceRefresh === true });
      return { kind: 'bearer', value: `token-${authorizations.length}` };
    },
  };
  const settings = { enabled: options.enabled ?? false, intervalMs: 15 * MINUTE };
  refresher = new QuotaRefresher({
    accounts: {
      pool,
      async update(id: string, patch: AccountPatch) {
        const next = applyAccountPatch(pool.get(id) as Account, patch, clock.now());
        pool.upsert(next);
        return next;
      },
      recordQuota(id, model, quota) {
        recorded.push({ id, model, quota });
      },
    },
    credentials,
    sources: [source],
    locks: state,
    limits: new RateLimitTracker({ pool, store: state, clock, config: () => SCHEDULER_CONFIG }),
    clock,
    settings: () => settings,
    logger: silentLogger(),
  });
  return { clock, pool, recorded, state, source, authorizations, settings, refresher };
}

function modelLock(accountId: string, model: string | null, reason: RateLimitLock['reason']): RateLimitLock {
  return {
    accountId,
    scope: model === null ? 'account' : 'model',
    model,
    reason,
    source: 'backoff',
    until: Date.UTC(2027, 0, 1),
    detectedAt: 0,
    message: null,
  };
}

/** Lets queued promise callbacks run. */
async function flush(): Promise<void> {
  for (let round = 0; round < 20; round++) await Promise.resolve();
}

describe('QuotaRefresher.refreshAccount', () => {
  it('records every model quota as observed now from the API', async () => {
    const { refresher, recorded, clock } = await setup();

    const outcome = await refresher.refreshAccount('a');

    expect(outcome).toMatchObject({ status: 'refreshed', models: 1, message: null });
    expect(recorded).toEqual([
      {
        id: 'a',
        model: 'gemini-2.5-pro',
        quota: { remainingFraction: 0.5, resetAt: 123, observedAt: clock.now(), source: 'api' },
      },
    ]);
  });

  it.each([
    ['a disabled account', oauthAccount('a', { disabled: true }), 'account is disabled'],
    [
      'a provider without a quota API',
      oauthAccount('a', { provider: 'openai', credential: { type: 'api_key', apiKey: 'k' } }),
      'no quota API for provider openai',
    ],
  ])('skips %s without calling anything', async (_case, account, message) => {
    const { refresher, source, authorizations } = await setup({ accounts: [account] });

    expect(await refresher.refreshAccount('a')).toMatchObject({ status: 'skipped', message });
    expect(source.reads).toHaveLength(0);
    expect(authorizations).toHaveLength(0);
  });

  it('lifts only the locks of models that recovered, never account locks or other models', async () => {
    const { refresher, state, source } = await setup();
    source.answer = () => ({
      models: { m1: { remainingFraction: 0.8, resetAt: null }, m2: { remainingFraction: 0, resetAt: null } },
    });
    await state.setLock(modelLock('a', 'm1', 'QuotaExhausted'));
    await state.setLock(modelLock('a', 'm2', 'QuotaExhausted'));
    await state.setLock(modelLock('a', null, 'RateLimitExceeded'));
    await state.setLock(modelLock('b', 'm1', 'QuotaExhausted'));

    const outcome = await refresher.refreshAccount('a');

    expect(outcome.clearedLocks).toEqual(['m1']);
    const left = (await state.listLocks()).map((lock) => `${lock.accountId}:${lock.model}`).sort();
    expect(left).toEqual(['a:m2', 'a:null', 'b:m1']);
  });

  it('locks a model with nothing left until a future reset: a predicted limit from the quota API', async () => {
    const { refresher, state, source, clock } = await setup();
    const resetAt = clock.now() + 30 * MINUTE;
    source.answer = () => ({
      models: {
        empty: { remainingFraction: 0, resetAt },
        'empty-no-reset': { remainingFraction: 0, resetAt: null },
        'empty-reset-passed': { remainingFraction: 0, resetAt: clock.now() - 1 },
        'some-left': { remainingFraction: 0.01, resetAt },
      },
    });

    await refresher.refreshAccount('a');

    expect(await state.listLocks()).toEqual([
      expect.objectContaining({
        accountId: 'a',
        scope: 'model',
        model: 'empty',
        source: 'quota-api',
        until: resetAt,
      }),
    ]);
  });

  it('forgets a pending verification request once the quota call works', async () => {
    const account = oauthAccount('a', {
      extra: { verification: { url: 'https://v.example', at: 1 }, keep: 1 },
    });
    const { refresher, pool } = await setup({ accounts: [account] });

    await refresher.refreshAccount('a');

    expect(pool.get('a')?.extra).toEqual({ keep: 1 });
  });

  it('stores a tier the source reports', async () => {
    const { refresher, pool, source } = await setup();
    source.answer = () => ({ models: {}, tier: 'ULTRA' });

    await refresher.refreshAccount('a');

    expect(pool.get('a')?.tier).toBe('ULTRA');
  });

  it('forces one token refresh and reads again when the quota API answers 401', async () => {
    const { refresher, source, authorizations } = await setup();
    source.answer = (_account, call) =>
      call === 1 ? Object.assign(new Error('401 unauthenticated'), { status: 401 }) : { models: {} };

    expect((await refresher.refreshAccount('a')).status).toBe('refreshed');
    expect(authorizations).toEqual([
      { id: 'a', force: false },
      { id: 'a', force: true },
    ]);
    expect(source.reads.map((read) => read.token)).toEqual(['token-1', 'token-2']);
  });

  it('reports a failure without throwing', async () => {
    const { refresher, source } = await setup();
    source.answer = () => new Error('fetchAvailableModels answered 500');

    expect(await refresher.refreshAccount('a')).toMatchObject({
      status: 'failed',
      message: 'fetchAvailableModels answered 500',
    });
  });

  it('joins a refresh of the same account already in flight', async () => {
    const { refresher, source } = await setup();
    let release: () => void = () => undefined;
    source.hold = new Promise((resolve) => {
      release = resolve;
    });

    const both = Promise.all([refresher.refreshAccount('a'), refresher.refreshAccount('a')]);
    await flush();
    release();
    await both;

    expect(source.reads).toHaveLength(1);
  });

  it('answers not_found for an unknown account', async () => {
    const { refresher } = await setup();

    expect(() => refresher.refreshAccount('nope')).toThrow(expect.objectContaining({ code: 'not_found' }));
  });
});

describe('QuotaRefresher.refreshAll', () => {
  it('refreshes at most 5 accounts at a time and reports each', async () => {
    const accounts = Array.from({ length: 12 }, (_, index) => oauthAccount(`a${index}`));
    const { refresher, source } = await setup({
      accounts: [...accounts, oauthAccount('off', { disabled: true })],
    });
    let release: () => void = () => undefined;
    source.hold = new Promise((resolve) => {
      release = resolve;
    });

    const run = refresher.refreshAll();
    await flush();
    expect(source.active).toBe(5);
    release();
    const outcomes = await run;

    expect(source.maxActive).toBe(5);
    expect(outcomes.filter((outcome) => outcome.status === 'refreshed')).toHaveLength(12);
    expect(outcomes.find((outcome) => outcome.accountId === 'off')?.status).toBe('skipped');
  });
});

describe('QuotaRefresher in the background', () => {
  it('refreshes at start and then every interval when enabled', async () => {
    const { refresher, source, clock } = await setup({ enabled: true });

    refresher.start();
    await flush();
    expect(source.reads).toHaveLength(1);
    await clock.advance(15 * MINUTE - 1);
    await flush();
    expect(source.reads).toHaveLength(1);
    await clock.advance(1);
    await flush();
    expect(source.reads).toHaveLength(2);
  });

  it('follows a new interval, and stops when disabled', async () => {
    const { refresher, source, clock, settings } = await setup({ enabled: true });
    refresher.start();
    await flush();

    settings.intervalMs = 5 * MINUTE;
    refresher.reschedule();
    await clock.advance(5 * MINUTE);
    await flush();
    expect(source.reads).toHaveLength(2);
    settings.enabled = false;
    refresher.reschedule();
    await clock.advance(60 * MINUTE);
    await flush();
    expect(source.reads).toHaveLength(2);
  });

  it('does nothing on its own when disabled', async () => {
    const { refresher, source, clock, pool } = await setup({ enabled: false });

    refresher.start();
    pool.upsert(oauthAccount('new'));
    await clock.advance(60 * MINUTE);
    await flush();

    expect(source.reads).toHaveLength(0);
  });

  it('refreshes a new account, and a re-authorized one, at once', async () => {
    const { refresher, source, pool } = await setup({ enabled: true, accounts: [] });
    refresher.start();

    pool.upsert(oauthAccount('new'));
    await flush();
    const account = pool.get('new') as Account;
    pool.upsert({ ...account, label: 'only a label' });
    await flush();
    pool.upsert({
      ...account,
      credential: { ...account.credential, refreshToken: 'rt-again' } as Account['credential'],
    });
    await flush();

    expect(source.reads.map((read) => read.id)).toEqual(['new', 'new']);
  });

  it('lifts the auth lock of an account that gets a new credential, keeping its quota locks', async () => {
    const { refresher, pool, state } = await setup({ enabled: false });
    refresher.start();
    await state.setLock(modelLock('a', null, 'AuthError'));
    await state.setLock(modelLock('a', 'm1', 'QuotaExhausted'));
    const account = pool.get('a') as Account;

    pool.upsert({
      ...account,
      credential: { ...account.credential, refreshToken: 'rt-new' } as Account['credential'],
    });
    await flush();

    expect((await state.listLocks()).map((lock) => lock.model)).toEqual(['m1']);
  });
});
