import { describe, expect, it } from 'vitest';
import { parseAvailableModels } from './parse-available-models.js';

describe('parseAvailableModels', () => {
  it('reads remaining fraction and reset time per model', () => {
    const answer = {
      models: {
        'gemini-2.5-pro': { quotaInfo: { remainingFraction: 0.25, resetTime: '2026-01-01T05:00:00Z' } },
        'claude-sonnet-4-5': { displayName: 'Claude', quotaInfo: { remainingFraction: 1 } },
      },
    };

    expect(parseAvailableModels(answer)).toEqual({
      'gemini-2.5-pro': { remainingFraction: 0.25, resetAt: Date.UTC(2026, 0, 1, 5) },
      'claude-sonnet-4-5': { remainingFraction: 1, resetAt: null },
    });
  });

  it('reads a quota without remainingFraction as used up (proto3 JSON leaves zero out)', () => {
    const answer = { models: { 'gemini-2.5-flash': { quotaInfo: { resetTime: '2026-01-01T05:00:00Z' } } } };

    expect(parseAvailableModels(answer)['gemini-2.5-flash']?.remainingFraction).toBe(0);
  });

  it('skips internal models and models without quota information', () => {
    const answer = {
      models: {
        chat_20706: { quotaInfo: { remainingFraction: 1 } },
        tab_flash_lite_preview: { quotaInfo: { remainingFraction: 1 } },
        'gemini-no-quota': { displayName: 'x' },
        'imagen-4': { quotaInfo: { remainingFraction: 0.5 } },
      },
    };

    expect(Object.keys(parseAvailableModels(answer))).toEqual(['imagen-4']);
  });

  it.each([
    ['no models', {}],
    ['models of the wrong type', { models: [1, 2] }],
    ['not an object', 'oops'],
  ])('answers {} for %s', (_case, answer) => {
    expect(parseAvailableModels(answer)).toEqual({});
  });

  it('clamps fractions into 0..1 and ignores an unreadable reset time', () => {
    const answer = { models: { 'gpt-x': { quotaInfo: { remainingFraction: 1.5, resetTime: 'soon' } } } };

    expect(parseAvailableModels(answer)).toEqual({ 'gpt-x': { remainingFraction: 1, resetAt: null } });
  });
});
