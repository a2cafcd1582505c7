import { afterEach, describe, expect, it, vi } from 'vitest';
import type { JsonObject } from '../core/json.js';
import { testAccount } from '../scheduler/test-account.js';
import { type PassThroughInput, passThroughBody } from './provider-adapter.js';

function input(options: { body: JsonObject; rawBody: Buffer | null; model: string }): PassThroughInput {
  return {
    account: testAccount('a'),
    credential: { kind: 'api_key', value: 'sk-a' },
    operation: 'generate',
    stream: false,
    clientHeaders: {},
    query: '',
    ...options,
  };
}

describe('passThroughBody', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('sends the client bytes when they name the model already, and rewrites only the model otherwise', () => {
    const rawBody = Buffer.from('{"model": "a", "messages": []}');
    const body = { model: 'a', messages: [] };
    expect(passThroughBody(input({ body, rawBody, model: 'a' }))).toBe(rawBody);
    expect(passThroughBody(input({ body, rawBody, model: 'b' })).toString()).toBe(
      '{"model": "b", "messages": []}',
    );
  });

  it('serializes a body without bytes that names the model as it is, without copying it', () => {
    const body = { model: 'm', messages: [{ role: 'user', content: 'hi' }], max_tokens: 5 };
    const stringify = vi.spyOn(JSON, 'stringify');
    const sent = passThroughBody(input({ body, rawBody: null, model: 'm' }));
    expect(stringify).toHaveBeenCalledTimes(1);
    expect(stringify.mock.calls[0]?.[0]).toBe(body);
    expect(JSON.parse(sent.toString())).toEqual(body);
  });

  it('sets another model on a copy, in the model key’s place, leaving the caller’s body as it was', () => {
    const body = { messages: [], model: 'client-model', max_tokens: 5 };
    const sent = passThroughBody(input({ body, rawBody: null, model: 'upstream-model' }));
    expect(sent).toBe('{"messages":[],"model":"upstream-model","max_tokens":5}');
    expect(body.model).toBe('client-model');
  });
});
