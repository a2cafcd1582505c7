import { describe, expect, it } from 'vitest';
import { ApiError, apiErrorFrom, errorMessage } from './api-error.js';

describe('apiErrorFrom', () => {
  it("shows the server's {error: {code, message}}", () => {
    const error = apiErrorFrom(
      400,
      JSON.stringify({
        error: { code: 'validation_failed', message: 'Invalid account: email: must not be empty' },
      }),
    );
    expect(error).toBeInstanceOf(ApiError);
    expect([error.status, error.code, error.message]).toEqual([
      400,
      'validation_failed',
      'Invalid account: email: must not be empty',
    ]);
  });

  it.each([
    ['<html>Bad gateway</html>', 'HTTP 502: <html>Bad gateway</html>'],
    ['', 'HTTP 502'],
    ['{"error": "plain"}', 'HTTP 502: {"error": "plain"}'],
    ['{"error": {"code": "x"}}', 'HTTP 502: {"error": {"code": "x"}}'],
  ])('falls back to the status and the start of the body for %j', (body, message) => {
    const error = apiErrorFrom(502, body);
    expect(error.code).toBe('bad_response');
    expect(error.message).toBe(message);
  });
});

describe('errorMessage', () => {
  it('uses the message of an error, or the thrown value as text', () => {
    expect(errorMessage(new Error('boom'))).toBe('boom');
    expect(errorMessage('plain')).toBe('plain');
  });
});
