import { describe, expect, it } from 'vitest';
import {
  CLAUDE_CODE_TURN,
  claudeCodeSideRequest,
  SUMMARY_INSTRUCTION,
  TITLE_INSTRUCTION,
} from '../../test/support/claude-code-requests.js';
import {
  BACKGROUND_TASK_DETECTORS,
  type BackgroundTaskDetector,
  detectBackgroundTask,
} from './detect-background-task.js';
import { type OutlineProtocol, outlineRequest } from './request-outline.js';

const ALL: readonly BackgroundTaskDetector[] = BACKGROUND_TASK_DETECTORS;
const detect = (
  body: Record<string, unknown>,
  enabled = ALL,
  protocol: OutlineProtocol = 'anthropic-messages',
) => detectBackgroundTask(outlineRequest(protocol, body), enabled);

describe('detectBackgroundTask', () => {
  it("recognises Claude Code's title request by its system instruction, whatever the user wrote", () => {
    const body = claudeCodeSideRequest({
      instruction: TITLE_INSTRUCTION,
      userText: 'fix the flaky login test',
    });
    expect(detect(body)).toBe('title-generation');
  });

  it("recognises Claude Code's one-line session summary", () => {
    const body = claudeCodeSideRequest({
      instruction: SUMMARY_INSTRUCTION,
      userText: 'User: fix the test\nAssistant: done',
    });
    expect(detect(body)).toBe('conversation-summary');
  });

  it('recognises an instruction that leads the user message (older title requests)', () => {
    const body = {
      messages: [
        { role: 'user', content: 'Please write a 5-10 word title for the following conversation:\n…' },
      ],
    };
    expect(detect(body)).toBe('title-generation');
  });

  it('only the enabled detectors apply', () => {
    const body = claudeCodeSideRequest({ instruction: TITLE_INSTRUCTION, userText: 'x' });
    expect(detect(body, ['conversation-summary'])).toBeNull();
    expect(detect(body, [])).toBeNull();
  });

  it('never takes the recorded main turn of Claude Code', () => {
    expect(detect(CLAUDE_CODE_TURN)).toBeNull();
  });

  it('never touches a real turn that asks for a title: it offers tools', () => {
    const turn = {
      ...CLAUDE_CODE_TURN,
      messages: [{ role: 'user', content: 'Please write a 5-10 word title for my blog post about caching' }],
    };
    expect(detect(turn)).toBeNull();
  });

  it('never touches a later turn of a conversation, even without tools', () => {
    const body = {
      system: TITLE_INSTRUCTION,
      messages: [
        { role: 'user', content: 'hello' },
        { role: 'assistant', content: 'hi' },
        { role: 'user', content: 'and now?' },
      ],
    };
    expect(detect(body)).toBeNull();
  });

  it('a phrase far into the user message is the user talking, not an instruction', () => {
    const body = {
      messages: [{ role: 'user', content: `${'context '.repeat(80)} write a 5-10 word title` }],
    };
    expect(detect(body)).toBeNull();
  });

  it('works on the other protocols (system and developer messages, instructions, systemInstruction)', () => {
    expect(
      detect(
        {
          messages: [
            { role: 'system', content: TITLE_INSTRUCTION },
            { role: 'user', content: 'x' },
          ],
        },
        ALL,
        'openai-chat',
      ),
    ).toBe('title-generation');
    expect(detect({ instructions: SUMMARY_INSTRUCTION, input: 'x' }, ALL, 'openai-responses')).toBe(
      'conversation-summary',
    );
    expect(
      detect(
        {
          systemInstruction: { parts: [{ text: TITLE_INSTRUCTION }] },
          contents: [{ parts: [{ text: 'x' }] }],
        },
        ALL,
        'gemini',
      ),
    ).toBe('title-generation');
  });
});
