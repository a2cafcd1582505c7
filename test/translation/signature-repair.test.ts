/**
 * When the gateway cannot tell that replayed reasoning is foreign (the signature was never seen by
 * this gateway) and the upstream answers with a signature-class 400, the history is repaired —
 * thinking becomes text, redacted thinking and foreign signatures go — and the request is sent
 * again, once, to the same account. The client never sees that 400; when the repaired request
 * still fails, the client gets the upstream's error after exactly two calls, and the account is
 * neither locked nor counted as failing.
 */
import { describe, expect, it } from 'vitest';
import { anthropicSignature, googleSignature } from '../../src/simulator/wire/reasoning-signatures.js';
import type { GatewayHarness } from '../support/gateway-harness.js';
import { pick } from '../support/http-call.js';
import { ok, rateLimited, status } from '../support/mock-upstream.js';
import { checkAnthropicStream } from './anthropic-stream-check.js';
import { checkResponsesStream } from './responses-stream-check.js';
import {
  claudeCodeTurn,
  codexNextTurn,
  codexTurn,
  emailOf,
  generations,
  KEY,
  sendClaudeCode,
  sendCodex,
  signatureRig,
} from './signature-setup.js';

const rig = signatureRig();

const TOOL_USE = { type: 'tool_use', id: 'toolu_1', name: 'Read', input: { file_path: 'a.ts' } };
/** Gemini reasoning signed by a Google account this gateway never talked to. */
const UNSEEN_GEMINI_THINKING = {
  type: 'thinking',
  thinking: 'Gemini weighed the options.',
  signature: googleSignature(424242),
};

/** Claude Code's request with an earlier tool turn whose assistant message starts with `blocks`. */
function claudeCodeWith(blocks: unknown[]) {
  const turn = claudeCodeTurn();
  return {
    ...turn,
    messages: [
      ...turn.messages,
      { role: 'assistant', content: [...blocks, TOOL_USE] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'export {}' }] },
    ],
  };
}

const SIGNATURE_400 = status(400, {
  body: {
    type: 'error',
    error: {
      type: 'invalid_request_error',
      message: 'messages.2.content.0: Invalid `signature` in `thinking` block',
    },
    request_id: 'req_sig',
  },
});

const rateLimits = async (gateway: GatewayHarness) =>
  pick((await gateway.call('GET', '/api/proxy/rate-limits'))?.json, 'rate_limits');

describe('retry once with the history repaired', () => {
  it('Claude Code → Anthropic: the 400 is repaired on the same account, the client gets the answer', async () => {
    const gateway = await rig.start(['anthropic', 'gemini']);
    const answer = await sendClaudeCode(gateway, claudeCodeWith([UNSEEN_GEMINI_THINKING]));
    expect(answer.status).toBe(200);
    expect(answer.headers['x-account-email']).toBe(emailOf('anthropic'));
    expect(checkAnthropicStream(answer.text).thinking[0]?.thinking).toBe('anthropic thinks it over.');
    const sent = generations(rig.upstream, 'anthropic');
    expect(sent).toHaveLength(2);
    expect(generations(rig.upstream, 'gemini')).toHaveLength(0);
    expect(pick(sent[0]?.body, 'messages', 2, 'content', 0)).toEqual(UNSEEN_GEMINI_THINKING);
    // Historical thinking → text; the rest of the request is unchanged.
    expect(pick(sent[1]?.body, 'messages', 2, 'content')).toEqual([
      { type: 'text', text: UNSEEN_GEMINI_THINKING.thinking },
      TOOL_USE,
    ]);
    expect({ ...(sent[1]?.body as object), messages: null }).toEqual({
      ...(sent[0]?.body as object),
      messages: null,
    });
    expect(await rateLimits(gateway)).toEqual([]);
  });

  it.each(['gemini', 'code-assist'] as const)(
    'Gemini client → %s: "Corrupted thought signature" is repaired on the same account',
    async (kind) => {
      const gateway = await rig.start([kind]);
      const body = {
        contents: [
          { role: 'user', parts: [{ text: 'What is the weather in Paris today?' }] },
          {
            role: 'model',
            parts: [
              { text: 'Claude thought first.', thought: true, thoughtSignature: anthropicSignature('x') },
              {
                functionCall: { name: 'get_weather', args: { city: 'Paris' } },
                thoughtSignature: 'EqQB-unseen',
              },
            ],
          },
          { role: 'user', parts: [{ functionResponse: { name: 'get_weather', response: { c: 21 } } }] },
        ],
      };
      const answer = await gateway.call('POST', '/v1beta/models/gemini-3-pro:generateContent', { body });
      expect(answer.status).toBe(200);
      const sent = generations(rig.upstream, kind);
      expect(sent).toHaveLength(2);
      const contents = (body: unknown) => pick(body, 'request', 'contents') ?? pick(body, 'contents');
      expect(pick(contents(sent[1]?.body), 1, 'parts')).toEqual([
        { text: 'Claude thought first.' },
        {
          functionCall: { name: 'get_weather', args: { city: 'Paris' } },
          thoughtSignature: 'skip_thought_signature_validator',
        },
      ]);
    },
  );

  it('Codex → Anthropic: repaired the same way when the gateway never saw the reasoning', async () => {
    const gateway = await rig.start(['gemini', 'anthropic']);
    const turn1 = codexTurn();
    const first = checkResponsesStream((await sendCodex(gateway, turn1)).text);
    // A new gateway forgets which family signed what (as after a restart); the account is the same.
    const restarted = await rig.start(['anthropic']);
    rig.upstream.reset();
    rig.upstream.setDefault(
      KEY.anthropic,
      ok({ thinking: 'anthropic thinks it over.', verifySignatures: true }),
    );
    const second = await sendCodex(restarted, codexNextTurn(turn1, first));
    expect(second.status).toBe(200);
    expect(checkResponsesStream(second.text).response.status).toBe('completed');
    expect(generations(rig.upstream, 'anthropic')).toHaveLength(2);
  });
});

describe('the retry is provably once', () => {
  it('Claude Code: a repaired request that still fails → exactly two calls, then the upstream’s 400', async () => {
    const gateway = await rig.start(['anthropic', 'gemini']);
    rig.upstream.setDefault(KEY.anthropic, SIGNATURE_400);
    const answer = await sendClaudeCode(gateway, claudeCodeWith([UNSEEN_GEMINI_THINKING]));
    expect(answer.status).toBe(400);
    expect(answer.json).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
    expect(generations(rig.upstream, 'anthropic')).toHaveLength(2);
    expect(generations(rig.upstream, 'gemini')).toHaveLength(0);
    // Not an account failure: no lock, and the account serves the next request of the session.
    expect(await rateLimits(gateway)).toEqual([]);
    rig.upstream.setDefault(KEY.anthropic, ok());
    const next = await sendClaudeCode(gateway, claudeCodeTurn());
    expect(next.headers['x-account-email']).toBe(emailOf('anthropic'));
  });

  it('Codex (translated): two calls, then the 400 in the Responses error shape', async () => {
    const gateway = await rig.start(['anthropic']);
    rig.upstream.setDefault(KEY.anthropic, SIGNATURE_400);
    const turn = codexTurn();
    const reasoning = {
      type: 'reasoning',
      summary: [{ type: 'summary_text', text: 'Weighed it.' }],
      encrypted_content: 'opaque-from-elsewhere',
    };
    const answer = await sendCodex(gateway, {
      ...turn,
      input: [...turn.input, reasoning, ...turn.input.slice(-1)],
    });
    expect(answer.status).toBe(400);
    expect(answer.json).toMatchObject({
      error: {
        message: expect.stringContaining('Upstream rejected the request: messages.2.content.0: Invalid'),
      },
    });
    expect(generations(rig.upstream, 'anthropic')).toHaveLength(2);
  });

  it('no retry when there is nothing to repair', async () => {
    const gateway = await rig.start(['anthropic']);
    rig.upstream.setDefault(KEY.anthropic, SIGNATURE_400);
    const answer = await sendClaudeCode(gateway, claudeCodeTurn());
    expect(answer.status).toBe(400);
    expect(generations(rig.upstream, 'anthropic')).toHaveLength(1);
  });

  it('each account gets its own single repair; a 429 after a repair still rotates', async () => {
    const gateway = await rig.start(['gemini', 'anthropic']);
    const corrupted = {
      error: { code: 400, message: 'Corrupted thought signature.', status: 'INVALID_ARGUMENT' },
    };
    rig.upstream.script(KEY.gemini, status(400, { body: corrupted }), rateLimited({ retryAfter: '30' }));
    const answer = await sendClaudeCode(gateway, claudeCodeWith([UNSEEN_GEMINI_THINKING]));
    expect(answer.status).toBe(200);
    expect(answer.headers['x-account-email']).toBe(emailOf('anthropic'));
    expect(generations(rig.upstream, 'gemini')).toHaveLength(2);
    expect(generations(rig.upstream, 'anthropic')).toHaveLength(2);
  });
});
