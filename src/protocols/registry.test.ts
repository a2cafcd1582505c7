import { describe, expect, it } from 'vitest';
import type { ClientProtocol } from '../core/client-protocol.js';
import type { JsonObject } from '../core/json.js';
import { clientProtocol, clientProtocols } from './registry.js';

const NAMES: ClientProtocol[] = ['openai-chat', 'openai-responses', 'anthropic-messages', 'gemini'];

describe('client protocol registry', () => {
  it.each(NAMES)('%s: the registered descriptor is that protocol’s', (name) => {
    expect(clientProtocol(name).name).toBe(name);
  });

  it('lists every protocol once, and each endpoint path under one protocol', () => {
    expect(clientProtocols().map((protocol) => protocol.name)).toEqual(NAMES);
    const paths = clientProtocols().flatMap((protocol) =>
      protocol.endpoints.map((endpoint) => endpoint.path),
    );
    expect(new Set(paths).size).toBe(paths.length);
    expect(clientProtocol('anthropic-messages').endpoints).toContainEqual({
      path: '/v1/messages/count_tokens',
      operation: 'count-tokens',
      stream: false,
    });
  });

  it('gives translated answers ids in each protocol’s own form', () => {
    expect(NAMES.map((name) => clientProtocol(name).idPrefix)).toEqual(['chatcmpl-', 'resp_', 'msg_', '']);
  });

  it('answers a local token estimate in each protocol’s count-tokens shape', () => {
    expect(clientProtocol('anthropic-messages').countTokensBody(12)).toEqual({ input_tokens: 12 });
    expect(clientProtocol('gemini').countTokensBody(12)).toEqual({ totalTokens: 12 });
  });

  it('decodes with the protocol’s own decoder, naming the bad field', () => {
    const decoded = clientProtocol('anthropic-messages').decode(
      { model: 'm', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] },
      { model: 'm', stream: false },
    );
    expect(decoded.request.messages).toEqual([{ role: 'user', content: [{ type: 'text', text: 'hi' }] }]);
    expect(() =>
      clientProtocol('openai-chat').decode({ model: 'm', messages: 'x' }, { model: 'm', stream: false }),
    ).toThrow(/messages/);
  });

  it('filters passed-through reasoning only for the family that verifies it', () => {
    const body: JsonObject = {
      model: 'm',
      messages: [
        { role: 'user', content: 'hi' },
        {
          role: 'assistant',
          content: [
            { type: 'thinking', thinking: 'hmm', signature: 'sig' },
            { type: 'text', text: 'ok' },
          ],
        },
      ],
    };
    const filter = clientProtocol('anthropic-messages').filterReasoning;
    const judge = () => 'drop' as const;
    expect(filter?.(body, { judge, family: 'anthropic', repaired: false })).toEqual({
      model: 'm',
      messages: [
        { role: 'user', content: 'hi' },
        { role: 'assistant', content: [{ type: 'text', text: 'ok' }] },
      ],
    });
    expect(filter?.(body, { judge, family: 'google', repaired: false })).toBeNull();
    expect(clientProtocol('openai-chat').filterReasoning).toBeUndefined();
  });

  it('keeps conversations only for the Responses API', () => {
    expect(NAMES.filter((name) => clientProtocol(name).keepsConversations)).toEqual(['openai-responses']);
  });
});
