import { describe, expect, it } from 'vitest';
import { SwitchyardError } from '../core/errors.js';
import {
  checkClientIds,
  checkModelName,
  MAX_CLIENT_ID_LENGTH,
  MAX_MODEL_NAME_LENGTH,
} from './client-input-limits.js';

function refusal(run: () => unknown): { code: string; message: string } {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(SwitchyardError);
    const { code, message } = error as SwitchyardError;
    return { code, message };
  }
  throw new Error('expected a refusal');
}

describe('checkModelName', () => {
  it('accepts names up to the limit, non-ASCII included', () => {
    for (const model of ['gpt-4o', 'm✓', '日本', 'x'.repeat(MAX_MODEL_NAME_LENGTH)]) {
      expect(checkModelName(model)).toBe(model);
    }
  });

  it.each([
    [undefined, 'model: required'],
    ['  ', 'model: required'],
    [42, 'model: required'],
    ['x'.repeat(MAX_MODEL_NAME_LENGTH + 1), `model: 257 characters is longer than the limit of 256`],
    ['claude\n', 'model: must not contain control characters'],
    ['a\u0000b', 'model: must not contain control characters'],
    ['a\u0085b', 'model: must not contain control characters'],
  ])('refuses %j with a 400 naming model', (model, message) => {
    expect(refusal(() => checkModelName(model))).toEqual({
      code: 'invalid_request',
      message: expect.stringContaining(message),
    });
  });
});

describe('checkClientIds', () => {
  const long = 'i'.repeat(MAX_CLIENT_ID_LENGTH + 1);
  const fine = 'i'.repeat(MAX_CLIENT_ID_LENGTH);

  it('accepts ids up to the limit wherever they come from', () => {
    expect(() =>
      checkClientIds({
        headers: { 'x-claude-code-session-id': fine, 'session-id': fine },
        body: { prompt_cache_key: fine, previous_response_id: fine, metadata: { user_id: fine } },
      }),
    ).not.toThrow();
  });

  it.each([
    [{ headers: { 'X-Claude-Code-Session-Id': long }, body: {} }, 'header x-claude-code-session-id'],
    [{ headers: { 'session-id': long }, body: {} }, 'header session-id'],
    [{ headers: {}, body: { prompt_cache_key: long } }, 'prompt_cache_key'],
    [{ headers: {}, body: { previous_response_id: long } }, 'previous_response_id'],
    [{ headers: {}, body: { metadata: { user_id: long } } }, 'metadata.user_id'],
  ])('refuses an id above the limit, naming its field (%#)', (input, field) => {
    expect(refusal(() => checkClientIds(input)).message).toBe(
      `${field}: ${MAX_CLIENT_ID_LENGTH + 1} characters is longer than the limit of ${MAX_CLIENT_ID_LENGTH}`,
    );
  });
});
