import { describe, expect, it } from 'vitest';
import { accountServesModel, modelMatches } from './account.js';

describe('modelMatches', () => {
  it.each([
    ['gpt-4o', 'gpt-4o', true],
    ['gpt-4o', 'gpt-4o-mini', false],
    ['gpt-4*', 'gpt-4o-mini', true],
    ['gpt-4*', 'gpt-3.5', false],
    ['*', 'anything', true],
    ['claude-*-sonnet-*', 'claude-3-5-sonnet-20241022', true],
    ['claude-*-sonnet-*', 'claude-3-5-haiku-20241022', false],
    ['*-thinking', 'claude-opus-4-6-thinking', true],
    ['a*a', 'a', false],
    ['a*a', 'aa', true],
    ['*mini*', 'gpt-4o-mini-2024', true],
  ])('%s against %s is %s', (pattern, model, expected) => {
    expect(modelMatches(pattern, model)).toBe(expected);
  });
});

describe('accountServesModel', () => {
  it('serves every model when the list is empty', () => {
    expect(accountServesModel({ models: [] }, 'whatever')).toBe(true);
  });

  it('serves only listed models or patterns otherwise', () => {
    const account = { models: ['gpt-4o', 'o3-*'] };
    expect(accountServesModel(account, 'o3-mini')).toBe(true);
    expect(accountServesModel(account, 'gpt-4.1')).toBe(false);
  });
});
