import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { SwitchyardError } from './errors.js';
import { formatIssuePath, parseOrThrow } from './validation.js';

describe('parseOrThrow', () => {
  const schema = z.object({
    proxy: z.object({ port: z.number().int().max(65535) }),
    models: z.array(z.string()),
  });

  it('names every bad field with its dotted path', () => {
    try {
      parseOrThrow(schema, { proxy: { port: 70000 }, models: ['a', 3] }, 'config');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(SwitchyardError);
      const failure = error as SwitchyardError;
      expect(failure.code).toBe('validation_failed');
      expect(failure.message).toMatch(/^Invalid config: proxy\.port: .*; models\[1\]: /);
      expect(failure.details?.['issues']).toHaveLength(2);
    }
  });

  it('returns the parsed value when valid', () => {
    expect(parseOrThrow(schema, { proxy: { port: 1 }, models: [] }, 'config')).toEqual({
      proxy: { port: 1 },
      models: [],
    });
  });

  it('formats index and key paths', () => {
    expect(formatIssuePath([0, 'email'])).toBe('[0].email');
    expect(formatIssuePath(['a', 'b', 2])).toBe('a.b[2]');
    expect(formatIssuePath(['custom_mapping', 'gpt-4.1'])).toBe('custom_mapping["gpt-4.1"]');
  });
});
