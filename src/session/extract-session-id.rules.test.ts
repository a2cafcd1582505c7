import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { extract, type SessionProtocol } from './session-rule-cases.js';

/** The expected fingerprint, computed independently of the module under test. */
function sid(text: string): string {
  return `sid-${createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 16)}`;
}

describe('extractSessionId first-user-message rules', () => {
  const cases: [string, SessionProtocol, unknown, string | null][] = [
    // Anthropic: >= 3 characters, no <system-reminder>, no [System
    [
      'anthropic: 3 characters qualify',
      'anthropic',
      { messages: [{ role: 'user', content: 'hey' }] },
      sid('hey'),
    ],
    ['anthropic: 2 characters do not', 'anthropic', { messages: [{ role: 'user', content: 'hi' }] }, null],
    [
      'anthropic: length is measured after trimming',
      'anthropic',
      {
        messages: [
          { role: 'user', content: '  hi  ' },
          { role: 'user', content: '  hello  ' },
        ],
      },
      sid('hello'),
    ],
    [
      'anthropic: a system-reminder message is skipped for the next user message',
      'anthropic',
      {
        messages: [
          {
            role: 'user',
            content: [{ type: 'text', text: '<system-reminder>Context here</system-reminder>' }],
          },
          { role: 'assistant', content: 'ok' },
          { role: 'user', content: 'Write the migration' },
        ],
      },
      sid('Write the migration'),
    ],
    [
      'anthropic: a reminder in any text block disqualifies the whole message',
      'anthropic',
      {
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: '<system-reminder>ctx</system-reminder>' },
              { type: 'text', text: 'Fix the bug' },
            ],
          },
          { role: 'user', content: 'Second message' },
        ],
      },
      sid('Second message'),
    ],
    [
      'anthropic: "[System" notes are skipped',
      'anthropic',
      {
        messages: [
          { role: 'user', content: '[System: compacted]' },
          { role: 'user', content: 'Go on' },
        ],
      },
      sid('Go on'),
    ],
    [
      'anthropic: images and tool results are ignored, text blocks joined by one space',
      'anthropic',
      {
        messages: [
          {
            role: 'user',
            content: [
              { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'AAAA' } },
              { type: 'text', text: 'What is' },
              { type: 'tool_result', tool_use_id: 'toolu_1', content: 'ignored output' },
              { type: 'text', text: 'in this picture?' },
            ],
          },
        ],
      },
      sid('What is in this picture?'),
    ],
    [
      'anthropic: a message with only a tool result is skipped',
      'anthropic',
      {
        messages: [
          {
            role: 'user',
            content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'long tool output' }],
          },
          { role: 'user', content: 'Next step' },
        ],
      },
      sid('Next step'),
    ],
    [
      'anthropic: assistant and system messages never count',
      'anthropic',
      {
        messages: [
          { role: 'assistant', content: 'I am the assistant speaking' },
          { role: 'system', content: 'Mid-conversation system text' },
        ],
      },
      null,
    ],
    // OpenAI chat: > 10 characters, only <system-reminder> excluded
    [
      'openai-chat: 10 characters do not qualify',
      'openai-chat',
      { messages: [{ role: 'user', content: '0123456789' }] },
      null,
    ],
    [
      'openai-chat: 11 characters qualify',
      'openai-chat',
      { messages: [{ role: 'user', content: '01234567890' }] },
      sid('01234567890'),
    ],
    [
      'openai-chat: system and developer messages are skipped',
      'openai-chat',
      {
        messages: [
          { role: 'system', content: 'You are a helpful assistant.' },
          { role: 'developer', content: 'Answer in French, always.' },
          { role: 'user', content: 'Translate this sentence' },
        ],
      },
      sid('Translate this sentence'),
    ],
    [
      'openai-chat: text and input_text parts joined, image parts ignored',
      'openai-chat',
      {
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'Describe' },
              { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } },
              { type: 'input_text', text: 'this image' },
            ],
          },
        ],
      },
      sid('Describe this image'),
    ],
    [
      'openai-chat: system-reminder skipped',
      'openai-chat',
      {
        messages: [
          { role: 'user', content: '<system-reminder>long reminder text</system-reminder>' },
          { role: 'user', content: 'The real question here' },
        ],
      },
      sid('The real question here'),
    ],
    [
      'openai-chat: "[System" is not a reason to skip',
      'openai-chat',
      { messages: [{ role: 'user', content: '[System] long enough text' }] },
      sid('[System] long enough text'),
    ],
    // OpenAI Responses
    [
      'openai-responses: input as a plain string',
      'openai-responses',
      { input: 'Summarise the README file' },
      sid('Summarise the README file'),
    ],
    ['openai-responses: a short string input gives no id', 'openai-responses', { input: 'say hi' }, null],
    [
      'openai-responses: input items, string content, developer items skipped',
      'openai-responses',
      {
        instructions: 'Be terse in every answer.',
        input: [
          { role: 'developer', content: 'Developer text long enough' },
          { role: 'user', content: 'List the open pull requests' },
        ],
      },
      sid('List the open pull requests'),
    ],
    [
      'openai-responses: input_text parts joined, function outputs ignored',
      'openai-responses',
      {
        input: [
          { type: 'function_call_output', call_id: 'call_1', output: 'a long function output' },
          {
            type: 'message',
            role: 'user',
            content: [
              { type: 'input_text', text: 'Compare' },
              { type: 'input_image', image_url: 'https://example.com/a.png' },
              { type: 'input_text', text: 'both files' },
            ],
          },
        ],
      },
      sid('Compare both files'),
    ],
    // Gemini
    [
      'gemini: parts of the first user content joined by one space',
      'gemini',
      {
        contents: [
          {
            role: 'user',
            parts: [
              { text: 'Explain' },
              { inlineData: { mimeType: 'image/png', data: 'AA' } },
              { text: 'closures' },
            ],
          },
        ],
      },
      sid('Explain closures'),
    ],
    [
      'gemini: model contents are skipped, short user contents too',
      'gemini',
      {
        contents: [
          { role: 'user', parts: [{ text: 'hello' }] },
          { role: 'model', parts: [{ text: 'Hello! How can I help?' }] },
          { role: 'user', parts: [{ text: 'Write a haiku about rain' }] },
        ],
      },
      sid('Write a haiku about rain'),
    ],
    [
      'gemini: a content without role is the user speaking',
      'gemini',
      { contents: [{ parts: [{ text: 'Write a haiku about snow' }] }] },
      sid('Write a haiku about snow'),
    ],
    [
      'gemini: system-reminder skipped',
      'gemini',
      {
        contents: [
          { role: 'user', parts: [{ text: '<system-reminder>ctx</system-reminder>' }] },
          { role: 'user', parts: [{ text: 'Real question, please' }] },
        ],
      },
      sid('Real question, please'),
    ],
    [
      'gemini: systemInstruction is not a user message',
      'gemini',
      { systemInstruction: { parts: [{ text: 'You are a long system prompt' }] }, contents: [] },
      null,
    ],
  ];

  it.each(cases)('%s', (_name, protocol, body, expected) => {
    expect(extract({ protocol, headers: {}, body })).toBe(expected);
  });
});

describe('extractSessionId stability across a conversation', () => {
  const firstUser = 'Please add retry logic to the HTTP client';
  const turns: Record<SessionProtocol, (turn: number, model: string) => unknown> = {
    anthropic: (turn, model) => ({
      model,
      messages: Array.from({ length: turn }, (_, index) => [
        { role: 'user', content: index === 0 ? firstUser : [{ type: 'text', text: `follow-up ${index}` }] },
        { role: 'assistant', content: [{ type: 'text', text: `answer ${index}` }] },
      ]).flat(),
    }),
    'openai-chat': (turn, model) => ({
      model,
      messages: [
        { role: 'system', content: `System prompt at turn ${turn}` },
        ...Array.from({ length: turn }, (_, index) => [
          { role: 'user', content: index === 0 ? firstUser : `follow-up number ${index}` },
          { role: 'assistant', content: `answer ${index}` },
        ]).flat(),
      ],
    }),
    'openai-responses': (turn, model) => ({
      model,
      input: Array.from({ length: turn }, (_, index) => [
        {
          role: 'user',
          content: [{ type: 'input_text', text: index === 0 ? firstUser : `follow-up number ${index}` }],
        },
        { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: `answer ${index}` }] },
      ]).flat(),
    }),
    gemini: (turn, model) => ({
      model,
      contents: Array.from({ length: turn }, (_, index) => [
        { role: 'user', parts: [{ text: index === 0 ? firstUser : `follow-up number ${index}` }] },
        { role: 'model', parts: [{ text: `answer ${index}` }] },
      ]).flat(),
    }),
  };

  it.each(Object.keys(turns) as SessionProtocol[])(
    '%s: every turn and every model give the same id',
    (protocol) => {
      const ids = new Set<string | null>();
      for (const turn of [1, 2, 5]) {
        for (const model of ['model-a', 'model-b-2026']) {
          ids.add(extract({ protocol, headers: {}, body: turns[protocol](turn, model) }));
        }
      }
      expect([...ids]).toEqual([sid(firstUser)]);
    },
  );

  it('different first messages give different ids', () => {
    const a = extract({
      protocol: 'gemini',
      headers: {},
      body: { contents: [{ parts: [{ text: 'first conversation' }] }] },
    });
    const b = extract({
      protocol: 'gemini',
      headers: {},
      body: { contents: [{ parts: [{ text: 'second conversation' }] }] },
    });
    expect(a).not.toBe(b);
  });
});
