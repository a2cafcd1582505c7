import { describe, expect, it } from 'vitest';
import type { Account } from '../../core/account.js';
import { FakeClock } from '../../core/clock.js';
import { type AccountPatch, applyAccountPatch, newAccount } from '../../store/account-patch.js';
import { CredentialError, type CredentialProvider } from '../auth/credential-provider.js';
import type { CodeAssistApi } from './code-assist-api.js';
import { CodeAssistContext } from './code-assist-context.js';
import { CodeAssistProjects, withCodeAssistProjects } from './code-assist-projects.js';

function setup(answers: Array<unknown | Error>, onboarding: unknown[] = []) {
  const accounts = new Map<string, Account>();
  const account = newAccount(
    {
      provider: 'code-assist',
      email: 'g@example.com',
      credential: {
        type: 'oauth',
        refreshToken: 'rt',
        accessToken: 'at',
        expiresAt: null,
        tokenUrl: null,
        clientId: null,
        clientSecret: null,
      },
    },
    { id: 'acct-1', now: 0 },
  );
  accounts.set(account.id, account);
  const calls: string[] = [];
  let release: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  const api: CodeAssistApi = {
    async loadCodeAssist(_account, token) {
      calls.push(token);
      await gate;
      const answer = answers.shift();
      if (answer instanceof Error) throw answer;
      return answer;
    },
    fetchAvailableModels: async () => ({}),
    async onboardUser(_account, token, tierId) {
      calls.push(`onboard ${tierId} ${token}`);
      return onboarding.shift() ?? { done: false };
    },
    getOperation: async () => ({ done: false }),
  };
  const store = {
    get: (id: string) => accounts.get(id),
    async update(id: string, patch: AccountPatch) {
      const next = applyAccountPatch(accounts.get(id) as Account, patch, 0);
      accounts.set(id, next);
      return next;
    },
  };
  const context = new CodeAssistContext();
  // One check only: the onboarding poll itself is covered in code-assist-onboarding.test.ts.
  const projects = new CodeAssistProjects({
    api,
    accounts: store,
    context,
    clock: new FakeClock(),
    onboardingPollDelaysMs: [],
  });
  return { account, accounts, calls, release, projects, context };
}

const answer = { cloudaicompanionProject: 'proj-9', paidTier: { id: 'g1-ultra-tier' } };

describe('CodeAssistProjects', () => {
  it('discovers the project once for concurrent requests and stores project, tier and tier name', async () => {
    const { account, accounts, calls, release, projects } = setup([answer]);

    const pending = Array.from({ length: 10 }, () => projects.ensure(account, 'at'));
    release();

    expect(await Promise.all(pending)).toEqual(Array(10).fill('proj-9'));
    expect(calls).toHaveLength(1);
    expect(accounts.get('acct-1')).toMatchObject({
      tier: 'ULTRA',
      extra: { 'code-assist': { projectId: 'proj-9', tierName: 'g1-ultra-tier' } },
    });
  });

  it('does not call again once the project is stored', async () => {
    const { account, calls, release, projects } = setup([answer]);
    release();
    await projects.ensure(account, 'at');

    expect(await projects.ensure(account, 'at')).toBe('proj-9');
    expect(calls).toHaveLength(1);
  });

  it('retries a failed discovery on the next request and never makes a project up', async () => {
    const { account, calls, release, projects, context } = setup([new Error('503 unavailable'), answer]);
    release();

    await expect(projects.ensure(account, 'at')).rejects.toBeInstanceOf(CredentialError);
    expect(context.projectOf(account)).toBeNull();
    expect(await projects.ensure(account, 'at')).toBe('proj-9');
    expect(calls).toHaveLength(2);
  });

  it('onboards an account that has no project with the default allowed tier, and stores the project', async () => {
    const notOnboarded = { allowedTiers: [{ id: 'legacy-tier' }, { id: 'free-tier', isDefault: true }] };
    const { account, accounts, calls, release, projects } = setup(
      [notOnboarded],
      [{ done: true, response: { cloudaicompanionProject: { id: 'managed-7' } } }],
    );
    release();

    expect(await projects.ensure(account, 'at')).toBe('managed-7');
    expect(calls).toEqual(['at', 'onboard free-tier at']);
    expect(accounts.get('acct-1')).toMatchObject({
      tier: 'FREE',
      extra: { 'code-assist': { projectId: 'managed-7', tierName: 'free-tier' } },
    });
    expect(await projects.ensure(account, 'at')).toBe('managed-7');
    expect(calls).toHaveLength(2);
  });

  it('fails (temporarily) with the reason when onboarding does not end with a project', async () => {
    const { account, release, projects, context } = setup(
      [{ ineligibleTiers: [{ reasonMessage: 'Not available in your country' }] }],
      [{ done: true, response: {} }],
    );
    release();

    const failure = projects.ensure(account, 'at');

    await expect(failure).rejects.toMatchObject({ permanent: false });
    await expect(failure).rejects.toThrow(
      'Code Assist project set-up for g@example.com failed: onboarding (tier legacy-tier) finished without a project: Not available in your country',
    );
    expect(context.projectOf(account)).toBeNull();
  });

  it('withCodeAssistProjects discovers before answering, for code-assist accounts only', async () => {
    const { account, calls, release, projects } = setup([answer]);
    release();
    const inner: CredentialProvider = { authorize: async () => ({ kind: 'bearer', value: 'tok' }) };
    const provider = withCodeAssistProjects(inner, projects);

    await provider.authorize({ ...account, provider: 'gemini' });
    expect(calls).toHaveLength(0);
    expect(await provider.authorize(account)).toEqual({ kind: 'bearer', value: 'tok' });
    expect(calls).toEqual(['tok']);
  });
});
