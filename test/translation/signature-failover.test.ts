/**
 * A conversation failing over between accounts of different kinds never shows the client a
 * signature error. Each account of the mock upstream thinks before answering, signs its reasoning
 * as its family does, and rejects reasoning it did not sign, as Anthropic and Gemini do. Turn 1 is
 * served by one account; turn 2 — built from the answer the client really got — meets a 429 there
 * and moves to an account of another kind, which must get only reasoning it can verify. These
 * tests pin the proactive part: the foreign reasoning is left out before sending, so the new
 * account is called once and never answers 400.
 */
import { describe, expect, it } from 'vitest';
import { encodeThoughtSignature } from '../../src/protocols/gemini/gemini-thought-signature.js';
import { encodeReasoningEnvelope } from '../../src/protocols/openai-responses/reasoning-envelope.js';
import { anthropicSignature } from '../../src/simulator/wire/reasoning-signatures.js';
import { pick } from '../support/http-call.js';
import { rateLimited } from '../support/mock-upstream.js';
import { checkAnthropicStream } from './anthropic-stream-check.js';
import { checkResponsesStream } from './responses-stream-check.js';
import {
  type AccountKind,
  claudeCodeNextTurn,
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

type Message = { role: string; content: Array<Record<string, unknown>> };
const assistantBlocks = (body: unknown, index: number) =>
  (pick(body, 'messages', index, 'content') ?? []) as Array<Record<string, unknown>>;

/** Claude Code turn 1 on `from`, turn 2 on `to` after `from` answers 429; both answers checked. */
async function claudeCodeFailover(from: AccountKind, to: AccountKind) {
  const gateway = await rig.start([from, to]);
  const turn1 = claudeCodeTurn();
  const first = await sendClaudeCode(gateway, turn1);
  expect(first.status).toBe(200);
  expect(first.headers['x-account-email']).toBe(emailOf(from));
  const answer = checkAnthropicStream(first.text);
  rig.upstream.script(KEY[from], rateLimited({ retryAfter: '30' }));
  const turn2 = claudeCodeNextTurn(turn1, answer);
  const second = await sendClaudeCode(gateway, turn2);
  return { answer, turn2, second };
}

describe('Claude Code (Anthropic pass-through) after a failover', () => {
  it.each(['gemini', 'code-assist'] as const)(
    'from a %s account: its thought signatures are left out, the Anthropic account answers at once',
    async (from) => {
      const { answer, second } = await claudeCodeFailover(from, 'anthropic');
      expect(answer.thinking).toEqual([
        { thinking: `${from} thinks it over.`, signature: expect.stringMatching(/^mock-google\./) },
      ]);
      expect(second.status).toBe(200);
      expect(second.headers['x-account-email']).toBe(emailOf('anthropic'));
      expect(checkAnthropicStream(second.text).thinking[0]?.thinking).toBe('anthropic thinks it over.');
      expect(generations(rig.upstream, 'anthropic')).toHaveLength(1);
      const sent = generations(rig.upstream, 'anthropic')[0]?.body;
      const turn = assistantBlocks(sent, 2);
      expect(turn.map((block) => block['type'])).toEqual(['text', 'tool_use']);
      // Adaptive thinking stays on: the model may answer a tool turn that did not think.
      expect(pick(sent, 'thinking')).toEqual({ type: 'adaptive' });
    },
  );

  it('from an OpenAI account: thinking with an empty signature is left out', async () => {
    const { answer, second } = await claudeCodeFailover('openai', 'anthropic');
    expect(answer.thinking).toEqual([{ thinking: 'openai thinks it over.', signature: '' }]);
    expect(second.status).toBe(200);
    expect(generations(rig.upstream, 'anthropic')).toHaveLength(1);
    expect(
      assistantBlocks(generations(rig.upstream, 'anthropic')[0]?.body, 2).map((block) => block['type']),
    ).toEqual(['text', 'tool_use']);
  });

  it('history carrying the gateway’s own envelopes: left out, never forwarded', async () => {
    const gateway = await rig.start(['anthropic']);
    const turn = claudeCodeTurn();
    const toolUse = { type: 'tool_use', id: 'toolu_1', name: 'Read', input: { file_path: 'a.ts' } };
    const envelopes = [
      {
        type: 'thinking',
        thinking: 'From a Gemini client.',
        signature: encodeThoughtSignature({ text: 'x', redactedData: 'r' }, { textSent: true }),
      },
      {
        type: 'thinking',
        thinking: 'From a Responses client.',
        signature: encodeReasoningEnvelope({ signature: 'sig' }),
      },
    ];
    const body = {
      ...turn,
      messages: [
        ...turn.messages,
        { role: 'assistant', content: [...envelopes, toolUse] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'export {}' }] },
      ],
    };
    const answer = await sendClaudeCode(gateway, body);
    expect(answer.status).toBe(200);
    expect(generations(rig.upstream, 'anthropic')).toHaveLength(1);
    expect(assistantBlocks(generations(rig.upstream, 'anthropic')[0]?.body, 2)).toEqual([toolUse]);
  });

  it('a conversation that stays on Anthropic is forwarded byte for byte, its thinking included', async () => {
    const gateway = await rig.start(['anthropic', 'gemini']);
    const turn1 = claudeCodeTurn();
    const first = await sendClaudeCode(gateway, turn1);
    const raw = JSON.stringify(claudeCodeNextTurn(turn1, checkAnthropicStream(first.text)));
    expect((await sendClaudeCode(gateway, raw)).status).toBe(200);
    const sent = generations(rig.upstream, 'anthropic');
    expect(sent).toHaveLength(2);
    expect(sent[1]?.rawBody).toBe(raw);
    expect(assistantBlocks(sent[1]?.body, 2)[0]).toEqual({
      type: 'thinking',
      thinking: 'anthropic thinks it over.',
      signature: anthropicSignature('anthropic thinks it over.'),
    });
  });

  it('manual thinking: turned off for the tool turn that came from another kind of account', async () => {
    const gateway = await rig.start(['gemini', 'anthropic']);
    const turn1 = { ...claudeCodeTurn(), thinking: { type: 'enabled', budget_tokens: 4096 } };
    const first = checkAnthropicStream((await sendClaudeCode(gateway, turn1)).text);
    rig.upstream.script(KEY.gemini, rateLimited({ retryAfter: '30' }));
    const turn2 = claudeCodeNextTurn(turn1, first);
    expect((await sendClaudeCode(gateway, turn2)).status).toBe(200);
    const sent = generations(rig.upstream, 'anthropic');
    expect(sent).toHaveLength(1);
    expect(pick(sent[0]?.body, 'thinking')).toEqual({ type: 'disabled' });
    // Claude Code's clear_thinking edit needs thinking on; it goes with it.
    expect(pick(sent[0]?.body, 'context_management')).toBeUndefined();
  });
});

describe('Anthropic client translated for a Google account after a failover', () => {
  it.each(['gemini', 'code-assist'] as const)(
    'to %s: the Anthropic signatures are left out before translation, no "Corrupted thought signature"',
    async (to) => {
      const { answer, second } = await claudeCodeFailover('anthropic', to);
      expect(answer.thinking[0]?.signature).toBe(anthropicSignature('anthropic thinks it over.'));
      expect(second.status).toBe(200);
      expect(second.headers['x-account-email']).toBe(emailOf(to));
      checkAnthropicStream(second.text);
      expect(generations(rig.upstream, to)).toHaveLength(1);
      const body = generations(rig.upstream, to)[0]?.body;
      const contents = (pick(body, 'request', 'contents') ?? pick(body, 'contents')) as Message[];
      const model = contents.filter((content) => content.role === 'model').at(-1) as unknown as {
        parts: Array<Record<string, unknown>>;
      };
      expect(model.parts.some((part) => part['thought'] === true)).toBe(false);
      expect(model.parts.find((part) => 'functionCall' in part)?.['thoughtSignature']).toBe(
        'skip_thought_signature_validator',
      );
    },
  );
});

describe('Gemini client (pass-through) after a failover from an Anthropic account', () => {
  it.each(['gemini', 'code-assist'] as const)(
    'to %s: the Anthropic thought signatures are left out, no "Corrupted thought signature"',
    async (to) => {
      const gateway = await rig.start(['anthropic', to]);
      const path = '/v1beta/models/gemini-3-pro:generateContent';
      const user = { role: 'user', parts: [{ text: 'What is the weather in Paris today?' }] };
      const generationConfig = { thinkingConfig: { includeThoughts: true } };
      const first = await gateway.call('POST', path, { body: { contents: [user], generationConfig } });
      expect(first.headers['x-account-email']).toBe(emailOf('anthropic'));
      const modelTurn = pick(first.json, 'candidates', 0, 'content') as {
        parts: Array<Record<string, unknown>>;
      };
      expect(modelTurn.parts[0]).toMatchObject({
        thought: true,
        thoughtSignature: expect.stringMatching(/^mock-anthropic\./),
      });
      rig.upstream.script(KEY.anthropic, rateLimited({ retryAfter: '30' }));
      const result = {
        role: 'user',
        parts: [{ functionResponse: { name: 'Read', response: { text: 'export {}' } } }],
      };
      const second = await gateway.call('POST', path, {
        body: { contents: [user, modelTurn, result], generationConfig },
      });
      expect(second.status).toBe(200);
      expect(second.headers['x-account-email']).toBe(emailOf(to));
      expect(generations(rig.upstream, to)).toHaveLength(1);
      const body = generations(rig.upstream, to)[0]?.body;
      const sentTurn = (pick(body, 'request', 'contents', 1) ??
        pick(body, 'contents', 1)) as typeof modelTurn;
      expect(sentTurn.parts.some((part) => part['thought'] === true)).toBe(false);
      expect(JSON.stringify(sentTurn)).not.toContain('mock-anthropic');
    },
  );
});

describe('Codex (Responses, encrypted reasoning) moving between families', () => {
  it.each([
    ['gemini', 'anthropic'],
    ['anthropic', 'code-assist'],
    ['code-assist', 'anthropic'],
  ] as const)('%s → %s: the other family’s reasoning is left out, the turn completes', async (from, to) => {
    const gateway = await rig.start([from, to]);
    const turn1 = codexTurn();
    const first = checkResponsesStream((await sendCodex(gateway, turn1)).text);
    const reasoning = first.items.find((item) => item.type === 'reasoning');
    expect(reasoning).toMatchObject({ encrypted_content: expect.stringMatching(/^swy1\./) });
    rig.upstream.script(KEY[from], rateLimited({ retryAfter: '30' }));
    const second = await sendCodex(gateway, codexNextTurn(turn1, first));
    expect(second.status).toBe(200);
    expect(second.headers['x-account-email']).toBe(emailOf(to));
    expect(checkResponsesStream(second.text).response.status).toBe('completed');
    expect(generations(rig.upstream, to)).toHaveLength(1);
    expect(JSON.stringify(generations(rig.upstream, to)[0]?.body)).not.toContain(`${from} thinks it over.`);
  });
});
