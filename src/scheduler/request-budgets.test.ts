import { describe, expect, it } from 'vitest';
import { RequestBudgets, SWEEP_AT } from './request-budgets.js';

const NOW = Date.UTC(2026, 0, 1);
const reading = { remaining: 1, limit: 5, resetAt: NOW + 2_000 };

describe('RequestBudgets', () => {
  it('numbers calls across accounts and reports when one spends what an answer said was left', () => {
    const budgets = new RequestBudgets();
    const first = budgets.call('a', 'm', NOW);
    const other = budgets.call('b', 'm', NOW);
    expect(other.call).toBe(first.call + 1);
    expect(budgets.read({ accountId: 'a', model: 'm', reading, call: first.call, now: NOW })).toBeNull();
    expect(budgets.call('a', 'm', NOW).spentUntil).toBe(NOW + 2_000);
    expect(budgets.call('a', 'other-model', NOW).spentUntil).toBeNull();
  });

  it('starts counting with the first answer that tells what is left', () => {
    const budgets = new RequestBudgets();
    const first = budgets.call('a', 'm', NOW);
    budgets.call('a', 'm', NOW);
    expect(budgets.size).toBe(0);
    expect(budgets.read({ accountId: 'a', model: 'm', reading, call: first.call, now: NOW })).toBeNull();
    expect(budgets.call('a', 'm', NOW).spentUntil).toBe(NOW + 2_000);
  });

  it('forgets a removed account, and sweeps budgets unused for long once it holds many', () => {
    const budgets = new RequestBudgets();
    const read = (accountId: string, model: string, now = NOW) =>
      budgets.read({ accountId, model, reading, call: budgets.call(accountId, model, now).call, now });
    read('a', 'm1');
    read('a', 'm2');
    read('b', 'm1');
    budgets.forget('a');
    expect(budgets.size).toBe(1);
    for (let index = 0; index < SWEEP_AT - 1; index++) read(`x${index}`, 'm');
    expect(budgets.size).toBe(SWEEP_AT);
    read('late', 'm', NOW + 10 * 60_000);
    expect(budgets.size).toBe(1);
  });
});
