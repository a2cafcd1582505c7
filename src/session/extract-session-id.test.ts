import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { extract, SESSION_PROTOCOLS } from './session-rule-cases.js';

/** The expected fingerprint, computed independently of the module under test. */
function sid(text: string): string {
  return `sid-${createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 16)}`;
}

interface RecordedRequest {
  headers: Record<string, string>;
  body: Record<string, unknown>;
}

function loadFixture(name: string): RecordedRequest {
  return JSON.parse(
    readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8'),
  ) as RecordedRequest;
}

function without<T extends Record<string, unknown>>(object: T, ...keys: string[]): T {
  const copy: Record<string, unknown> = { ...object };
  for (const key of keys) delete copy[key];
  return copy as T;
}

describe('extractSessionId on recorded client requests', () => {
  const claude = loadFixture('claude-code-messages-request.json');
  const codex = loadFixture('codex-responses-request.json');
  const claudeUserId = (claude.body['metadata'] as { user_id: string }).user_id;

  it.each<[string, Parameters<typeof extract>[0], string]>([
    [
      'Claude Code: the x-claude-code-session-id header',
      { protocol: 'anthropic', headers: claude.headers, body: claude.body },
      'abd2a871-cb3e-40e7-892c-c654b3c2c79f',
    ],
    [
      'Claude Code without the header: metadata.user_id used raw (a JSON string)',
      {
        protocol: 'anthropic',
        headers: without(claude.headers, 'x-claude-code-session-id'),
        body: claude.body,
      },
      claudeUserId,
    ],
    [
      'Claude Code without header and metadata: the first user message, text blocks joined by a space',
      {
        protocol: 'anthropic',
        headers: without(claude.headers, 'x-claude-code-session-id'),
        body: without(claude.body, 'metadata'),
      },
      sid('<text: 306 chars> say hi'),
    ],
    [
      'Codex: the session-id header',
      { protocol: 'openai-responses', headers: codex.headers, body: codex.body },
      '01a2178d-53eb-7d42-93ca-3baa58d8ab2d',
    ],
    [
      'Codex without the header: prompt_cache_key',
      { protocol: 'openai-responses', headers: without(codex.headers, 'session-id'), body: codex.body },
      '01a2178d-53eb-7d42-93ca-3baa58d8ab2d',
    ],
    [
      'Codex without header and prompt_cache_key: the first user item, developer items skipped',
      {
        protocol: 'openai-responses',
        headers: without(codex.headers, 'session-id'),
        body: without(codex.body, 'prompt_cache_key'),
      },
      sid('<text: 431 chars>'),
    ],
  ])('%s', (_name, input, expected) => {
    expect(extract(input)).toBe(expected);
  });

  it('ignores the mid-conversation role:"system" message of Claude Code', () => {
    const body = {
      ...without(claude.body, 'metadata'),
      messages: [
        { role: 'system', content: 'A system note long enough to qualify if it were counted' },
        ...(claude.body['messages'] as unknown[]),
      ],
    };
    expect(extract({ protocol: 'anthropic', headers: {}, body })).toBe(sid('<text: 306 chars> say hi'));
  });
});

describe('extractSessionId cascade', () => {
  const anthropicBody = {
    model: 'claude-sonnet-4-5',
    metadata: { user_id: 'user_abc' },
    prompt_cache_key: 'cache-key-1',
    messages: [{ role: 'user', content: 'Refactor the parser please' }],
  };

  it.each<[string, Parameters<typeof extract>[0], string | null]>([
    [
      'x-claude-code-session-id beats session-id, prompt_cache_key and metadata',
      {
        protocol: 'anthropic',
        headers: { 'x-claude-code-session-id': 'claude-1', 'session-id': 'codex-1' },
        body: anthropicBody,
      },
      'claude-1',
    ],
    [
      'session-id beats the body',
      { protocol: 'anthropic', headers: { 'session-id': 'codex-1' }, body: anthropicBody },
      'codex-1',
    ],
    [
      'header names are case-insensitive',
      { protocol: 'anthropic', headers: { 'X-Claude-Code-Session-Id': 'claude-2' }, body: anthropicBody },
      'claude-2',
    ],
    [
      'mixed-case Session-Id',
      { protocol: 'openai-chat', headers: { 'Session-ID': 'codex-2' }, body: {} },
      'codex-2',
    ],
    [
      'a repeated header uses its first value',
      { protocol: 'openai-chat', headers: { 'session-id': ['codex-3', 'codex-4'] }, body: {} },
      'codex-3',
    ],
    [
      'a blank header falls through to the next source',
      {
        protocol: 'anthropic',
        headers: { 'x-claude-code-session-id': '  ', 'session-id': '' },
        body: anthropicBody,
      },
      'cache-key-1',
    ],
    [
      'prompt_cache_key beats metadata.user_id',
      { protocol: 'anthropic', headers: {}, body: anthropicBody },
      'cache-key-1',
    ],
    [
      'an empty prompt_cache_key is ignored',
      { protocol: 'anthropic', headers: {}, body: { ...anthropicBody, prompt_cache_key: '' } },
      'user_abc',
    ],
    [
      'a non-string prompt_cache_key is ignored',
      { protocol: 'anthropic', headers: {}, body: { ...anthropicBody, prompt_cache_key: 42 } },
      'user_abc',
    ],
    [
      'metadata.user_id containing "session-" is skipped for the message hash',
      {
        protocol: 'anthropic',
        headers: {},
        body: {
          ...without(anthropicBody, 'prompt_cache_key'),
          metadata: { user_id: 'user_x_account__session-123' },
        },
      },
      sid('Refactor the parser please'),
    ],
    [
      'Claude Code style user_id with "_session_" is used raw',
      {
        protocol: 'anthropic',
        headers: {},
        body: {
          ...without(anthropicBody, 'prompt_cache_key'),
          metadata: { user_id: 'user_ab_account__session_12' },
        },
      },
      'user_ab_account__session_12',
    ],
    [
      'an empty metadata.user_id is skipped',
      {
        protocol: 'anthropic',
        headers: {},
        body: { ...without(anthropicBody, 'prompt_cache_key'), metadata: { user_id: '' } },
      },
      sid('Refactor the parser please'),
    ],
    [
      'metadata.user_id only counts for Anthropic',
      {
        protocol: 'openai-chat',
        headers: {},
        body: {
          metadata: { user_id: 'user_abc' },
          messages: [{ role: 'user', content: 'Explain the borrow checker' }],
        },
      },
      sid('Explain the borrow checker'),
    ],
    [
      'prompt_cache_key counts for OpenAI chat too',
      { protocol: 'openai-chat', headers: {}, body: { prompt_cache_key: 'pck', messages: [] } },
      'pck',
    ],
  ])('%s', (_name, input, expected) => {
    expect(extract(input)).toBe(expected);
  });
});

describe('extractSessionId on malformed bodies', () => {
  const protocols = SESSION_PROTOCOLS;

  it.each<[string, unknown]>([
    ['null body', null],
    ['string body', 'not json'],
    ['array body', [{ role: 'user', content: 'an array is not a request' }]],
    ['messages is a string', { messages: 'hello there friend' }],
    ['messages holds junk', { messages: [null, 1, 'x', { role: 'user', content: 5 }, { role: 'user' }] }],
    [
      'content parts are junk',
      { messages: [{ role: 'user', content: [null, 7, { type: 'text', text: 5 }, { type: 9 }] }] },
    ],
    ['metadata is a string', { metadata: 'user', messages: [] }],
    ['metadata.user_id is a number', { metadata: { user_id: 42 } }],
    ['input is an object', { input: { role: 'user', content: 'hello there friend' } }],
    ['input items are junk', { input: [null, { role: 'user', content: { text: 'x' } }] }],
    ['contents is an object', { contents: { parts: [{ text: 'hello there friend' }] } }],
    ['parts are junk', { contents: [{ role: 'user', parts: 'hello' }, { parts: [null, { text: 3 }] }] }],
  ])('%s gives null for every protocol', (_name, body) => {
    for (const protocol of protocols) expect(extract({ protocol, headers: {}, body })).toBeNull();
  });

  it('never throws on arbitrary JSON', () => {
    fc.assert(
      fc.property(fc.constantFrom(...protocols), fc.jsonValue(), fc.anything(), (protocol, body, other) => {
        const result = extract({ protocol, headers: {}, body });
        const nested = extract({
          protocol,
          headers: {},
          body: { messages: [other], input: [other], contents: [other] },
        });
        return (
          (result === null || typeof result === 'string') && (nested === null || typeof nested === 'string')
        );
      }),
    );
  });

  it('does not hash the whole body when no message qualifies', () => {
    const body = { model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }], temperature: 0.2 };
    expect(extract({ protocol: 'openai-chat', headers: {}, body })).toBeNull();
  });
});
