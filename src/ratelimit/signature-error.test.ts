import { describe, expect, it } from 'vitest';
import { classifyFailure } from './classify-failure.js';
import { isSignatureError } from './signature-error.js';

const anthropic = (message: string) => ({
  type: 'error',
  error: { type: 'invalid_request_error', message },
  request_id: 'req_011CWkB65DcNzK2MiofhXx8b',
});
const google = (message: string) => ({ error: { code: 400, message, status: 'INVALID_ARGUMENT' } });

describe('isSignatureError', () => {
  it.each([
    ['Anthropic', anthropic('messages.1.content.0: Invalid `signature` in `thinking` block')],
    ['Anthropic, unquoted', anthropic('messages.19.content.0: Invalid signature in thinking block')],
    ['Anthropic, missing field', anthropic('messages.647.content.0.thinking.signature: Field required')],
    ['Anthropic, redacted', anthropic('messages.1.content.1: Invalid `data` in `redacted_thinking` block')],
    [
      'Anthropic, modified blocks',
      anthropic(
        'messages.3.content.1: `thinking` or `redacted_thinking` blocks in the latest assistant message cannot be modified. These blocks must remain as they were in the original response.',
      ),
    ],
    [
      'Anthropic, tool turn without thinking',
      anthropic(
        'messages.1.content.0.type: Expected `thinking` or `redacted_thinking`, but found `tool_use`. When `thinking` is enabled, a final `assistant` message must start with a thinking block.',
      ),
    ],
    [
      'a proxy wrapping Anthropic',
      {
        error: { type: 'request_fail', upstream_error: anthropic('Invalid `signature` in `thinking` block') },
      },
    ],
    ['Gemini', google('Corrupted thought signature.')],
    ['Vertex', google('Unable to submit request because Thought signature is not valid.. Learn more: …')],
    [
      'Gemini 3, missing',
      google(
        'Function call is missing a thought_signature in functionCall parts. This is required for tools to work correctly.',
      ),
    ],
    ['Code Assist stream array', [google('Corrupted thought signature.')]],
    [
      'Code Assist, JSON in the message',
      google('{\n  "error": {\n    "message": "Corrupted thought signature."\n  }\n}\n'),
    ],
    ['plain text', 'Invalid `signature` in `thinking` block'],
  ])('recognises %s', (_name, body) => {
    expect(isSignatureError(400, body)).toBe(true);
  });

  it('needs a 400', () => {
    expect(isSignatureError(500, google('Corrupted thought signature.'))).toBe(false);
    expect(isSignatureError(429, anthropic('Invalid `signature` in `thinking` block'))).toBe(false);
  });

  it('ignores other client errors', () => {
    expect(isSignatureError(400, anthropic('max_tokens: Field required'))).toBe(false);
    expect(isSignatureError(400, google('Request contains an invalid argument.'))).toBe(false);
    expect(isSignatureError(400, null)).toBe(false);
  });

  it('is a client error for the rate-limit rules: no lock, no failure count', () => {
    const classification = classifyFailure({
      status: 400,
      headers: {},
      body: anthropic('Invalid `signature` in `thinking` block'),
      now: 0,
    });
    expect(classification).toMatchObject({ reason: 'Unknown', retryable: false });
  });
});
