/**
 * Claude Code request bodies for the routing tests: the recorded main turn (fixture), and the side
 * requests it sends beside a conversation, built on the recorded shape (same metadata, system
 * blocks with `cache_control`, no tools, one user message) with the instruction it sends.
 */
import { readFileSync } from 'node:fs';

export const CLAUDE_CODE_TURN: Record<string, unknown> = JSON.parse(
  readFileSync(
    new URL(
      '../../src/protocols/anthropic-messages/__fixtures__/claude-code-messages-request.json',
      import.meta.url,
    ),
    'utf8',
  ),
);

/** Claude Code's small/fast model of the recording's generation. */
export const CLAUDE_CODE_SMALL_MODEL = 'claude-haiku-4-5-20251001';

/** The system instruction of Claude Code's topic/title request. */
export const TITLE_INSTRUCTION =
  "Analyze if this message indicates a new conversation topic. If it does, extract a 2-3 word title that captures the new topic. Format your response as a JSON object with two fields: 'isNewTopic' (boolean) and 'title' (string, or null if isNewTopic is false). Only include these fields, no other text.";

/** The instruction of Claude Code's one-line session summary. */
export const SUMMARY_INSTRUCTION =
  'Summarize this coding conversation in under 50 characters.\nCapture the main task, key files, problems addressed, and current status.';

/** A side request: the recorded turn's metadata and first system block, `instruction` as system, `userText` as the one message. */
export function claudeCodeSideRequest(options: {
  instruction: string;
  userText: string;
  stream?: boolean;
}): Record<string, unknown> {
  const system = CLAUDE_CODE_TURN['system'] as unknown[];
  return {
    model: CLAUDE_CODE_SMALL_MODEL,
    max_tokens: 512,
    messages: [{ role: 'user', content: [{ type: 'text', text: options.userText }] }],
    system: [system[0], { type: 'text', text: options.instruction, cache_control: { type: 'ephemeral' } }],
    temperature: 0,
    metadata: CLAUDE_CODE_TURN['metadata'],
    stream: options.stream ?? true,
  };
}

/** The warmup probe Claude Code sends for an agent at start: the agent's tools and a `Warmup` message. */
export function claudeCodeWarmup(): Record<string, unknown> {
  return {
    ...CLAUDE_CODE_TURN,
    messages: [
      { role: 'user', content: [{ type: 'text', text: 'Warmup', cache_control: { type: 'ephemeral' } }] },
    ],
  };
}
