import type { RequestLogEntry } from './request-log-entry.js';

/** A complete, successful entry for tests; `overrides` replace fields. */
export function sampleRequestLogEntry(overrides: Partial<RequestLogEntry> = {}): RequestLogEntry {
  return {
    id: 'req_1',
    time: Date.UTC(2026, 0, 1),
    protocol: 'openai-chat',
    method: 'POST',
    path: '/v1/chat/completions',
    clientModel: 'gpt-4o',
    mappedModel: 'gpt-4o-2024-08-06',
    modelsTried: ['gpt-4o-2024-08-06'],
    localReply: null,
    accountId: 'account-1',
    accountEmail: 'one@example.com',
    sessionId: 'sid-0123456789abcdef',
    clientKeyId: null,
    status: 200,
    attempts: 1,
    accountsTried: ['one@example.com'],
    latencyMs: 120,
    ttfbMs: 40,
    usage: { inputTokens: 10, outputTokens: 5, cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 },
    error: null,
    stream: false,
    requestBody: '{"model":"gpt-4o"}',
    responseBody: '{"id":"chatcmpl-1"}',
    ...overrides,
  };
}
