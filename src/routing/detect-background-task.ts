import type { RequestOutline } from './request-outline.js';

/**
 * The background prompts Claude Code sends beside a conversation, by name:
 * - `title-generation`: the topic/title of a conversation (its "new conversation topic" check
 *   and older "5-10 word title" requests);
 * - `conversation-summary`: the one-line session summary ("in under 50 characters");
 * - `prompt-suggestion`: suggestions for the next prompt.
 * A conversation's compaction (`/compact`) is not among them: it keeps the main model on purpose.
 */
export const BACKGROUND_TASK_DETECTORS = [
  'title-generation',
  'conversation-summary',
  'prompt-suggestion',
] as const;
export type BackgroundTaskDetector = (typeof BACKGROUND_TASK_DETECTORS)[number];

/** The phrases each detector looks for, matched case-insensitively. */
const PHRASES: Record<BackgroundTaskDetector, readonly string[]> = {
  'title-generation': [
    'indicates a new conversation topic',
    'write a 5-10 word title',
    'generate a title for',
    'create a brief title',
    'title for the conversation',
  ],
  'conversation-summary': ['summarize this coding conversation', 'in under 50 characters'],
  'prompt-suggestion': ['prompt suggestion generator', 'suggest next prompts'],
};

/** How far into the user's message an instruction may start (the instruction leads the prompt). */
const INSTRUCTION_WINDOW = 500;

/**
 * Which enabled detector recognises the request as a background task, or null. Only a side request
 * qualifies, never a turn of a real conversation: the request offers no tools (every real Claude
 * Code turn does), holds exactly one message and it is the user's (side requests are single-shot),
 * and a detector's phrase is in the system prompt or in the first 500 characters of that message.
 */
export function detectBackgroundTask(
  outline: RequestOutline,
  enabled: readonly BackgroundTaskDetector[],
): BackgroundTaskDetector | null {
  if (enabled.length === 0 || outline.hasTools) return null;
  if (outline.messageCount !== 1 || outline.userMessages !== 1 || outline.last?.role !== 'user') return null;
  const instruction = outline.last.texts.join('\n').slice(0, INSTRUCTION_WINDOW).toLowerCase();
  const system = outline.system.toLowerCase();
  for (const detector of enabled) {
    const phrases = PHRASES[detector];
    if (phrases.some((phrase) => system.includes(phrase) || instruction.includes(phrase))) return detector;
  }
  return null;
}
