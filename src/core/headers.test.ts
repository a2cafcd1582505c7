import { describe, expect, it } from 'vitest';
import { headerValue } from './headers.js';

describe('headerValue', () => {
  it('finds a header by its lower-case name, trimmed', () => {
    expect(headerValue({ 'session-id': '  abc ' }, 'Session-Id')).toBe('abc');
  });

  it('finds a header whose name is written in another case', () => {
    expect(headerValue({ 'Session-ID': 'abc' }, 'session-id')).toBe('abc');
  });

  it('takes the first non-empty value of a repeated header', () => {
    expect(headerValue({ 'session-id': ['', '  ', ' b ', 'c'] }, 'session-id')).toBe('b');
  });

  it('looks past a blank lower-case entry to the same header in another case', () => {
    expect(headerValue({ 'session-id': ' ', 'SESSION-ID': 'x' }, 'session-id')).toBe('x');
  });

  it('answers undefined for a missing, blank or non-string header', () => {
    const headers = { accept: '*/*', 'session-id': '   ', other: undefined };
    expect(headerValue(headers, 'x-claude-code-session-id')).toBeUndefined();
    expect(headerValue(headers, 'session-id')).toBeUndefined();
    expect(headerValue(headers, 'other')).toBeUndefined();
    expect(headerValue({ 'session-id': [] }, 'session-id')).toBeUndefined();
  });

  it('reads only the bag’s own headers, not inherited properties', () => {
    const inherited = Object.create({ 'Session-Id': 'inherited' }) as Record<string, string>;
    expect(headerValue(inherited, 'session-id')).toBeUndefined();
  });
});
