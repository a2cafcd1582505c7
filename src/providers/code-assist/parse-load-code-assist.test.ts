import { describe, expect, it } from 'vitest';
import { parseLoadCodeAssist, tierFromName } from './parse-load-code-assist.js';

const tier = (id: string) => ({ id, name: `${id} name`, description: 'x' });

describe('tierFromName', () => {
  it.each([
    ['g1-ultra-tier', 'ULTRA'],
    ['Google AI Ultra', 'ULTRA'],
    ['g1-pro-tier', 'PRO'],
    ['standard-tier', 'PRO'],
    ['enterprise-tier', 'PRO'],
    ['free-tier', 'FREE'],
    ['legacy-tier', 'FREE'],
    ['mystery-tier', null],
    [null, null],
  ])('%s → %s', (name, expected) => {
    expect(tierFromName(name)).toBe(expected);
  });
});

describe('parseLoadCodeAssist', () => {
  it.each([
    [
      'the paid tier over the current one',
      { currentTier: tier('free-tier'), paidTier: tier('g1-ultra-tier'), cloudaicompanionProject: 'p-1' },
      { projectId: 'p-1', tier: 'ULTRA', tierName: 'g1-ultra-tier' },
    ],
    [
      'the current tier without a paid one',
      { currentTier: tier('free-tier'), cloudaicompanionProject: 'p-2' },
      { projectId: 'p-2', tier: 'FREE', tierName: 'free-tier' },
    ],
    [
      'a project given as an object',
      { currentTier: tier('g1-pro-tier'), cloudaicompanionProject: { id: 'p-3', name: 'x' } },
      { projectId: 'p-3', tier: 'PRO', tierName: 'g1-pro-tier' },
    ],
    [
      'no project yet (an account that was never onboarded)',
      { currentTier: tier('free-tier'), allowedTiers: [] },
      { projectId: null, tier: 'FREE', tierName: 'free-tier' },
    ],
    [
      'an unknown paid tier name falling back to the current tier',
      { currentTier: tier('standard-tier'), paidTier: { name: 'Something' }, cloudaicompanionProject: 'p' },
      { projectId: 'p', tier: 'PRO', tierName: 'Something' },
    ],
    ['garbage', 'not json', { projectId: null, tier: null, tierName: null }],
    [
      'fields of the wrong type',
      { cloudaicompanionProject: 7, currentTier: 'x' },
      { projectId: null, tier: null, tierName: null },
    ],
  ])('reads %s', (_case, answer, expected) => {
    expect(parseLoadCodeAssist(answer)).toMatchObject(expected);
  });

  it.each([
    [
      'the default allowed tier',
      { allowedTiers: [tier('legacy-tier'), { ...tier('free-tier'), isDefault: true }] },
      'free-tier',
    ],
    [
      'the current tier when none is the default',
      { currentTier: tier('standard-tier'), allowedTiers: [tier('x')] },
      'standard-tier',
    ],
    ['legacy-tier when the answer names none', {}, 'legacy-tier'],
    ['legacy-tier for garbage', 'not json', 'legacy-tier'],
  ])('onboards with %s', (_case, answer, expected) => {
    expect(parseLoadCodeAssist(answer).onboardTierId).toBe(expected);
  });

  it('collects the reasons the account is ineligible for tiers', () => {
    const answer = {
      ineligibleTiers: [
        { reasonCode: 'INELIGIBLE_ACCOUNT', reasonMessage: 'Not eligible' },
        { reasonCode: 'X' },
      ],
    };
    expect(parseLoadCodeAssist(answer).ineligibleReasons).toEqual(['Not eligible']);
  });
});
