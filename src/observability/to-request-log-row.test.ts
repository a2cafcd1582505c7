import { describe, expect, it } from 'vitest';
import { requestLogValues, storedListColumns } from '../store/request-log-columns.js';
import { sampleRequestLogEntry } from './sample-request-log-entry.js';
import { toRequestLogRow, toRequestLogValues, truncate } from './to-request-log-row.js';

describe('toRequestLogRow', () => {
  it('splits usage into token columns and copies the rest', () => {
    const row = toRequestLogRow(
      sampleRequestLogEntry({
        usage: {
          inputTokens: 7,
          outputTokens: 3,
          cacheReadTokens: 2,
          cacheWriteTokens: 1,
          reasoningTokens: 9,
        },
      }),
      { keepBodies: false, maxBodyChars: 100 },
    );
    expect(row).toMatchObject({
      id: 'req_1',
      clientModel: 'gpt-4o',
      accountEmail: 'one@example.com',
      inputTokens: 7,
      outputTokens: 3,
      cacheReadTokens: 2,
      cacheWriteTokens: 1,
      accountsTried: ['one@example.com'],
    });
  });

  it('stores null token columns when the upstream reported no usage', () => {
    const row = toRequestLogRow(sampleRequestLogEntry({ usage: null }), {
      keepBodies: false,
      maxBodyChars: 1,
    });
    expect([row.inputTokens, row.outputTokens, row.cacheReadTokens, row.cacheWriteTokens]).toEqual([
      null,
      null,
      null,
      null,
    ]);
  });

  it('drops bodies unless they are kept, and cuts kept ones to the limit', () => {
    const entry = sampleRequestLogEntry({ requestBody: 'abcdefgh', responseBody: 'xyz' });
    const dropped = toRequestLogRow(entry, { keepBodies: false, maxBodyChars: 100 });
    expect([dropped.requestBody, dropped.responseBody]).toEqual([null, null]);
    const kept = toRequestLogRow(entry, { keepBodies: true, maxBodyChars: 4 });
    expect([kept.requestBody, kept.responseBody]).toEqual(['abcd', 'xyz']);
  });

  it('redacts keys and tokens in kept bodies, also one the cut would have split', () => {
    const key = 'sk-ant-api03-0123456789abcdef';
    const requestBody = JSON.stringify({ messages: [{ role: 'user', content: `my key is ${key}` }] });
    const responseBody = JSON.stringify({
      error: { message: 'bad header Authorization: Bearer tok-123456' },
    });
    const entry = sampleRequestLogEntry({ requestBody, responseBody });
    const kept = toRequestLogRow(entry, { keepBodies: true, maxBodyChars: 100 });
    expect(JSON.parse(kept.requestBody ?? '')).toEqual({
      messages: [{ role: 'user', content: 'my key is [redacted]' }],
    });
    expect(kept.responseBody).not.toContain('tok-123456');
    const cut = toRequestLogRow(entry, { keepBodies: true, maxBodyChars: requestBody.indexOf(key) + 8 });
    expect(cut.requestBody).not.toContain(key.slice(0, 8));
  });
});

describe('truncate', () => {
  it.each([
    { text: undefined, max: 5, expected: null },
    { text: 'hello', max: 5, expected: 'hello' },
    { text: 'hello world', max: 5, expected: 'hello' },
    { text: 'hello', max: 0, expected: '' },
    { text: 'ab😀cd', max: 3, expected: 'ab' },
    { text: 'ab😀cd', max: 4, expected: 'ab😀' },
  ])('cuts $text to $max characters → $expected', ({ text, max, expected }) => {
    expect(truncate(text, max)).toBe(expected);
  });
});

describe('toRequestLogValues', () => {
  it.each([
    ['with usage and kept bodies', sampleRequestLogEntry({ requestBody: 'abcdefgh' }), true],
    ['without usage, bodies dropped', sampleRequestLogEntry({ usage: null, responseBody: 'xyz' }), false],
  ])('gives the column values of the stored row, %s', (_name, entry, keepBodies) => {
    const bodies = { keepBodies, maxBodyChars: 4 };

    expect(storedListColumns(toRequestLogValues(entry, bodies))).toEqual(
      requestLogValues(toRequestLogRow(entry, bodies)),
    );
  });
});
