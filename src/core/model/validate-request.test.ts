import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { isSwitchyardError } from '../errors.js';
import { fieldPath, validateRequest } from './validate-request.js';
import { validateUpstream } from './validate-upstream.js';

describe('fieldPath', () => {
  it.each([
    { path: [], expected: '(body)' },
    { path: ['model'], expected: 'model' },
    { path: ['messages', 2, 'content', 0, 'text'], expected: 'messages[2].content[0].text' },
  ])('renders $expected', ({ path, expected }) => {
    expect(fieldPath(path)).toBe(expected);
  });
});

describe('validateRequest', () => {
  const schema = z.object({ messages: z.array(z.object({ role: z.string() })) });

  it('returns the parsed value when the body matches', () => {
    expect(validateRequest(schema, { messages: [{ role: 'user' }] })).toEqual({
      messages: [{ role: 'user' }],
    });
  });

  it('throws invalid_request naming the offending field, under the base path', () => {
    try {
      validateRequest(schema, { messages: [{ role: 'user' }, { role: 3 }] }, ['body']);
      expect.unreachable();
    } catch (error) {
      expect(isSwitchyardError(error) && error.code).toBe('invalid_request');
      expect(isSwitchyardError(error) && error.details).toEqual({ field: 'body.messages[1].role' });
      expect((error as Error).message).toContain('body.messages[1].role');
    }
  });
});

describe('validateUpstream', () => {
  it('throws upstream_error for a body that does not match', () => {
    expect(() => validateUpstream(z.object({ id: z.string() }), {}, 'message')).toThrowError(
      expect.objectContaining({ code: 'upstream_error' }),
    );
  });
});
