/** Sample admin API records for the UI's unit tests: valid defaults, override what a test is about. */
import type { PublicAccount, RateLimitView, RequestLogRecord } from '../api/types.js';

export const SAMPLE_NOW = Date.UTC(2026, 0, 1, 12, 0, 0);

export function sampleAccount(overrides: Partial<PublicAccount> = {}): PublicAccount {
  return {
    id: 'account-1',
    email: 'one@example.com',
    provider: 'openai',
    base_url: null,
    credential: { type: 'api_key', masked: 'sk-…a1b2', has_refresh_token: false, expires_at: null },
    tier: 'PRO',
    models: [],
    quota: {},
    disabled: false,
    disabled_reason: null,
    disabled_at: null,
    proxy_disabled: false,
    proxy_disabled_reason: null,
    label: null,
    created_at: new Date(SAMPLE_NOW - 86_400_000).toISOString(),
    last_used_at: null,
    verification_url: null,
    verification_required_at: null,
    ...overrides,
  };
}

export function sampleLock(overrides: Partial<RateLimitView> = {}): RateLimitView {
  return {
    account_id: 'account-1',
    account_email: 'one@example.com',
    scope: 'account',
    model: null,
    reason: 'RateLimitExceeded',
    source: 'retry-after',
    predicted: false,
    until: new Date(SAMPLE_NOW + 60_000).toISOString(),
    remaining_seconds: 60,
    message: null,
    ...overrides,
  };
}

export function sampleLog(overrides: Partial<RequestLogRecord> = {}): RequestLogRecord {
  return {
    id: 'req_1',
    time: SAMPLE_NOW - 1000,
    protocol: 'openai-chat',
    method: 'POST',
    path: '/v1/chat/completions',
    client_model: 'gpt-4o',
    mapped_model: 'gpt-4o',
    account_id: 'account-1',
    account_email: 'one@example.com',
    session_id: 'sid-0123456789abcdef',
    status: 200,
    attempts: 1,
    accounts_tried: ['one@example.com'],
    models_tried: ['gpt-4o'],
    local_reply: null,
    latency_ms: 120,
    ttfb_ms: 40,
    input_tokens: 10,
    output_tokens: 5,
    cache_read_tokens: 0,
    cache_write_tokens: 0,
    reasoning_tokens: 0,
    client_key_id: null,
    error: null,
    ...overrides,
  };
}
