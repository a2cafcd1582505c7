import { describe, expect, it } from 'vitest';
import { SwitchyardError } from '../core/errors.js';
import { dialectForPath, renderError, toSwitchyardError } from './error-response.js';

describe('renderError', () => {
  const limited = new SwitchyardError('all_accounts_limited', 'All accounts are rate-limited for gpt-4o', {
    retryAfterSeconds: 12.2,
  });

  it('renders the OpenAI error object', () => {
    expect(renderError(limited, 'openai')).toEqual({
      status: 429,
      headers: { 'retry-after': '13' },
      body: {
        error: {
          message: 'All accounts are rate-limited for gpt-4o',
          type: 'rate_limit_error',
          param: null,
          code: 'all_accounts_limited',
        },
      },
    });
  });

  it('renders the Anthropic error envelope', () => {
    expect(renderError(limited, 'anthropic').body).toEqual({
      type: 'error',
      error: { type: 'rate_limit_error', message: 'All accounts are rate-limited for gpt-4o' },
    });
  });

  it('renders the Google error status', () => {
    expect(renderError(limited, 'gemini').body).toEqual({
      error: { code: 429, message: 'All accounts are rate-limited for gpt-4o', status: 'RESOURCE_EXHAUSTED' },
    });
  });

  it('renders admin errors with code and details', () => {
    const error = new SwitchyardError('validation_failed', 'Invalid account: email: must not be empty', {
      details: { issues: [{ path: 'email', message: 'must not be empty' }] },
    });
    expect(renderError(error, 'admin')).toEqual({
      status: 400,
      headers: {},
      body: {
        error: {
          code: 'validation_failed',
          message: 'Invalid account: email: must not be empty',
          details: { issues: [{ path: 'email', message: 'must not be empty' }] },
        },
      },
    });
  });

  it('renders authentication failures with each protocol type', () => {
    const error = new SwitchyardError('unauthorized', 'Invalid API key');
    expect(renderError(error, 'openai').body).toMatchObject({ error: { type: 'authentication_error' } });
    expect(renderError(error, 'anthropic').body).toMatchObject({ error: { type: 'authentication_error' } });
    expect(renderError(error, 'gemini').body).toMatchObject({ error: { status: 'UNAUTHENTICATED' } });
  });
});

describe('toSwitchyardError', () => {
  it('maps Fastify body-limit errors to 413', () => {
    const mapped = toSwitchyardError({
      code: 'FST_ERR_CTP_BODY_TOO_LARGE',
      statusCode: 413,
      message: 'too large',
    });
    expect(mapped.status).toBe(413);
    expect(mapped.code).toBe('payload_too_large');
  });

  it.each([
    ['FST_ERR_BAD_URL', 400, 'invalid_request', 'The URL is malformed'],
    ['FST_ERR_MAX_PARAM_LENGTH', 414, 'uri_too_long', 'A path segment of the URL is too long'],
  ])('maps the router error %s to %i %s in its own words', (code, status, mapped, message) => {
    const error = toSwitchyardError({ code, statusCode: status, message: "'/v1/%E0%A4%A' is not valid" });
    expect([error.status, error.code]).toEqual([status, mapped]);
    expect(error.message).toContain(message);
  });

  it('hides unknown errors behind internal_error', () => {
    const mapped = toSwitchyardError(new Error('secret sk-123 leaked in a stack'));
    expect(mapped.code).toBe('internal_error');
    expect(mapped.message).not.toContain('sk-123');
  });
});

describe('dialectForPath', () => {
  it.each([
    ['/api/accounts', 'admin'],
    ['/auth/callback?code=x', 'admin'],
    ['/v1beta/models/gemini:generateContent', 'gemini'],
    ['/v1/messages?beta=true', 'anthropic'],
    ['/v1/messages/count_tokens', 'anthropic'],
    ['/v1/chat/completions', 'openai'],
    ['/metrics', 'openai'],
  ])('%s speaks %s', (path, dialect) => {
    expect(dialectForPath(path)).toBe(dialect);
  });
});
