/** Minimal, valid request bodies of each wire format, for tests of the mock and of the gateway. */

/** An OpenAI Chat Completions body: a short system message, then `text` as the user message. */
export function sampleChat(text: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    model: 'gpt-4o',
    messages: [
      { role: 'system', content: 'You are terse.' },
      { role: 'user', content: text },
    ],
    ...extra,
  };
}

/** An Anthropic Messages body with a 560-character system prompt marked `cache_control`. */
export function sampleMessages(text: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    model: 'claude-sonnet-4-5',
    max_tokens: 100,
    system: [
      { type: 'text', text: 'You are a careful assistant.'.repeat(20), cache_control: { type: 'ephemeral' } },
    ],
    messages: [{ role: 'user', content: [{ type: 'text', text }] }],
    ...extra,
  };
}

/** A Gemini `generateContent` body with `text` as the only user turn. */
export function sampleContents(text: string): Record<string, unknown> {
  return { contents: [{ role: 'user', parts: [{ text }] }] };
}
