import { describe, expect, it } from 'vitest';
import type { WarmupTargetView } from '../api/types.js';
import { lastWarmupText, lastWarmupTone, nextWarmupText } from './warmup-status.js';

const NOW = Date.UTC(2026, 0, 1, 12);
const iso = (offsetMs: number) => new Date(NOW + offsetMs).toISOString();

function target(overrides: Partial<WarmupTargetView>): WarmupTargetView {
  return {
    account_id: 'a',
    email: 'a@example.com',
    model: 'claude-haiku-4-5',
    state: 'done',
    reason: null,
    next_due_at: iso(5 * 60_000),
    last_at: iso(-10 * 60_000),
    last_result: 'ok',
    last_error: null,
    ...overrides,
  };
}

describe('the scheduled warmup in the Monitor', () => {
  it('shows the last result with its age, or never', () => {
    expect(lastWarmupText(target({}), NOW)).toBe('ok · 10 min ago');
    expect(lastWarmupText(target({ last_result: 'elsewhere' }), NOW)).toBe(
      'by another instance · 10 min ago',
    );
    expect(lastWarmupText(target({ last_result: null, last_at: null }), NOW)).toBe('never');
    expect(lastWarmupTone(target({ last_result: 'error' }))).toBe('error');
  });

  it('shows when the next one is due, or why it waits', () => {
    expect(nextWarmupText(target({}), NOW)).toBe('in 5m 00s');
    expect(nextWarmupText(target({ state: 'due', next_due_at: iso(0) }), NOW)).toBe('now');
    expect(
      nextWarmupText(target({ state: 'skipped', reason: 'account is disabled', next_due_at: null }), NOW),
    ).toBe('when usable again (account is disabled)');
    expect(
      nextWarmupText(
        target({ state: 'skipped', reason: 'account is rate-limited', next_due_at: iso(60_000) }),
        NOW,
      ),
    ).toBe('in 1m 00s (account is rate-limited)');
  });
});
