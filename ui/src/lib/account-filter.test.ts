import { describe, expect, it } from 'vitest';
import { type AccountFilter, countByTier, filterAccounts, NO_ACCOUNT_FILTER } from './account-filter.js';
import { sampleAccount, sampleLock } from './sample-records.js';

const accounts = [
  sampleAccount({ id: 'a', email: 'ultra@example.com', tier: 'ULTRA', provider: 'anthropic' }),
  sampleAccount({ id: 'b', email: 'pro@example.com', tier: 'PRO', label: 'Team budget', models: ['gpt-4*'] }),
  sampleAccount({ id: 'c', email: 'free@example.com', tier: 'FREE', provider: 'gemini', disabled: true }),
  sampleAccount({ id: 'd', email: 'groq', tier: null, base_url: 'https://api.groq.com/openai/v1' }),
];
const locks = [sampleLock({ account_id: 'b' })];

describe('filterAccounts', () => {
  it.each<{ filter: Partial<AccountFilter>; ids: string[] }>([
    { filter: {}, ids: ['a', 'b', 'c', 'd'] },
    { filter: { text: 'ULTRA@' }, ids: ['a'] },
    { filter: { text: 'team' }, ids: ['b'] },
    { filter: { text: 'gpt-4' }, ids: ['b'] },
    { filter: { text: 'groq.com' }, ids: ['d'] },
    { filter: { text: '  ' }, ids: ['a', 'b', 'c', 'd'] },
    { filter: { tier: 'PRO' }, ids: ['b'] },
    { filter: { tier: 'none' }, ids: ['d'] },
    { filter: { provider: 'openai' }, ids: ['b', 'd'] },
    { filter: { status: 'locked' }, ids: ['b'] },
    { filter: { status: 'disabled' }, ids: ['c'] },
    { filter: { status: 'active' }, ids: ['a', 'd'] },
    { filter: { status: 'active', provider: 'openai' }, ids: ['d'] },
  ])('with $filter shows $ids', ({ filter, ids }) => {
    const shown = filterAccounts({ accounts, filter: { ...NO_ACCOUNT_FILTER, ...filter }, locks });
    expect(shown.map((account) => account.id)).toEqual(ids);
  });
});

describe('countByTier', () => {
  it('counts each tier and the accounts without one', () => {
    expect(countByTier(accounts)).toEqual({ ULTRA: 1, PRO: 1, FREE: 1, none: 1 });
  });
});
