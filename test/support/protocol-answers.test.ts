import { describe, expect, it } from 'vitest';
import { SwitchyardError } from '../../src/core/errors.js';
import { renderError } from '../../src/server/error-response.js';
import { streamErrorEvent } from '../../src/server/stream-error-event.js';
import {
  type ErrorDialect,
  errorShapeProblem,
  secretProblem,
  stackTraceProblem,
  streamEndProblem,
} from './protocol-answers.js';

const DIALECTS: ErrorDialect[] = ['openai', 'anthropic', 'gemini', 'admin'];
const error = new SwitchyardError('invalid_request', 'model: required');

describe('errorShapeProblem', () => {
  it.each(DIALECTS)('accepts what the gateway renders for %s and rejects the other shapes', (dialect) => {
    expect(errorShapeProblem(dialect, renderError(error, dialect).body)).toBeNull();
    expect(
      errorShapeProblem(dialect, { statusCode: 500, error: 'Internal Server Error', message: 'x' }),
    ).not.toBeNull();
    expect(errorShapeProblem(dialect, 'Internal Server Error')).not.toBeNull();
  });

  it('tells the protocols apart', () => {
    expect(errorShapeProblem('anthropic', renderError(error, 'openai').body)).not.toBeNull();
    expect(errorShapeProblem('gemini', renderError(error, 'anthropic').body)).not.toBeNull();
    expect(errorShapeProblem('openai', { error: { message: '', type: 'x' } })).not.toBeNull();
  });
});

describe('streamEndProblem', () => {
  it('accepts each protocol’s terminal event', () => {
    expect(streamEndProblem('openai-chat', 'data: {"choices":[]}\n\ndata: [DONE]\n\n')).toBeNull();
    expect(
      streamEndProblem('anthropic', 'event: message_stop\ndata: {"type":"message_stop"}\n\n'),
    ).toBeNull();
    expect(
      streamEndProblem('gemini', 'data: {"candidates":[{"content":{},"finishReason":"STOP"}]}\r\n\r\n'),
    ).toBeNull();
    expect(
      streamEndProblem(
        'openai-responses',
        'event: response.completed\ndata: {"type":"response.completed"}\n\n',
      ),
    ).toBeNull();
  });

  it.each([
    ['openai-chat', 'openai'],
    ['anthropic', 'anthropic'],
    ['gemini', 'gemini'],
  ] as const)('accepts a %s stream that ends with the gateway’s error event', (format, dialect) => {
    expect(streamEndProblem(format, `data: {"x":1}\n\n${streamErrorEvent(error, dialect)}`)).toBeNull();
  });

  it('rejects a stream cut short or empty', () => {
    expect(streamEndProblem('openai-chat', 'data: {"choices":[{"delta":{"content":"a"}}]}\n\n')).toMatch(
      /terminal/,
    );
    expect(
      streamEndProblem('anthropic', 'event: content_block_delta\ndata: {"type":"content_block_delta"}\n\n'),
    ).toMatch(/terminal/);
    expect(streamEndProblem('gemini', 'data: {"candidates":[{"content":{}}]}\n\n')).toMatch(/terminal/);
    expect(streamEndProblem('openai-chat', '')).toMatch(/without any event/);
  });
});

describe('stackTraceProblem and secretProblem', () => {
  it('finds a stack trace, raw or inside a JSON string, and nothing in plain messages', () => {
    const stack = new Error('boom').stack ?? '';
    expect(stackTraceProblem(stack)).not.toBeNull();
    expect(stackTraceProblem(JSON.stringify({ message: stack }))).not.toBeNull();
    expect(stackTraceProblem('{"error":{"message":"meet at noon: 12:30"}}')).toBeNull();
  });

  it('names the secret found by its label, never its value', () => {
    const found = secretProblem('key sk-secret-1 here', { 'proxy API key': 'sk-secret-1' });
    expect(found).toBe('the proxy API key appears in the answer');
    expect(secretProblem('nothing here', { 'proxy API key': 'sk-secret-1' })).toBeNull();
  });
});
