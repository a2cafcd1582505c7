import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { REDACTED, scrubJsonValue, scrubSecrets } from './scrub-secrets.js';

describe('scrubSecrets', () => {
  it.each([
    ['an OpenAI key', 'Incorrect API key provided: sk-proj-abc123DEF456ghi.', 'sk-proj-abc123DEF456ghi'],
    ['an Anthropic key', 'invalid x-api-key sk-ant-api03-AAAABBBBCCCC', 'sk-ant-api03-AAAABBBBCCCC'],
    ['a Google API key', 'API key not valid: AIzaSyA1234567890abcdef', 'AIzaSyA1234567890abcdef'],
    ['a Google access token', 'token ya29.a0AfH6SMBx-yz was revoked', 'ya29.a0AfH6SMBx-yz'],
    ['a Google refresh token', 'refresh 1//0gAbCdEfGhIjKlMn failed', '1//0gAbCdEfGhIjKlMn'],
    ['a Google client secret', 'client GOCSPX-abcdef123456 unknown', 'GOCSPX-abcdef123456'],
    ['a Groq key', 'bad key gsk_abcdefghij123456', 'gsk_abcdefghij123456'],
    ['a bearer token', 'sent Authorization: Bearer opaque.token-value', 'opaque.token-value'],
    ['a Gemini ?key= in a URL', 'GET /v1beta/models?alt=sse&key=secret-value-1 failed', 'secret-value-1'],
  ])('redacts %s', (_name, text, secret) => {
    const scrubbed = scrubSecrets(text);
    expect(scrubbed).not.toContain(secret);
    expect(scrubbed).toContain(REDACTED);
  });

  it("redacts the account's own secret verbatim, whatever its shape, and its JSON-escaped form", () => {
    const own = 'plain"secret\\value';
    const text = `raw ${own} and escaped ${JSON.stringify(own)}`;
    expect(scrubSecrets(text, [own])).toBe(`raw ${REDACTED} and escaped "${REDACTED}"`);
  });

  it('keeps ordinary text, and ignores known secrets too short to be told from words', () => {
    const text = 'The model gpt-4o is overloaded, try again (skip the task).';
    expect(scrubSecrets(text, ['task'])).toBe(text);
  });

  it('never breaks the JSON text it scrubs (no pattern matches a quote or a backslash)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.string(), fc.constantFrom('sk-', 'Bearer ', 'key=', '\\', '"'))),
        (parts) => {
          const text = JSON.stringify({ message: parts.join('') });
          expect(() => JSON.parse(scrubSecrets(text))).not.toThrow();
        },
      ),
    );
  });
});

describe('scrubJsonValue', () => {
  it('scrubs every string of a parsed body and keeps its shape, without changing the input', () => {
    const body = {
      error: { message: 'key sk-live-123456789 refused', code: 401, details: ['sk-live-123456789'] },
    };
    const scrubbed = scrubJsonValue(body, ['sk-live-123456789']);
    expect(scrubbed).toEqual({
      error: { message: `key ${REDACTED} refused`, code: 401, details: [REDACTED] },
    });
    expect(body.error.message).toContain('sk-live');
  });

  it('keeps a `__proto__` key as data, and scrubs raw text bodies', () => {
    const body = JSON.parse('{"__proto__": {"token": "Bearer abcdefgh"}}') as object;
    const scrubbed = scrubJsonValue(body) as Record<string, unknown>;
    expect(Object.getPrototypeOf(scrubbed)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(scrubbed, '__proto__')?.value).toEqual({ token: REDACTED });
    expect(scrubJsonValue('upstream said Bearer abcdefgh')).toBe(`upstream said ${REDACTED}`);
    expect(scrubJsonValue(null)).toBeNull();
  });

  it('walks any depth without overflowing the stack', () => {
    let deep: unknown = 'sk-deep-secret-1';
    for (let level = 0; level < 100_000; level++) deep = [deep];
    let value = scrubJsonValue(deep);
    for (let level = 0; level < 100_000; level++) value = (value as unknown[])[0];
    expect(value).toBe(REDACTED);
  });
});
