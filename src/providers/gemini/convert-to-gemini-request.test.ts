import { describe, expect, it } from 'vitest';
import type {
  CanonicalMessage,
  CanonicalRequest,
  ReasoningConfig,
  ResponseFormat,
} from '../../core/model/canonical-request.js';
import { convertToGeminiRequest } from './convert-to-gemini-request.js';
import type { GeminiSchemaMode } from './convert-to-gemini-schema.js';

function request(extra: Partial<CanonicalRequest> = {}): CanonicalRequest {
  return {
    model: 'gemini-2.5-pro',
    system: [],
    messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }],
    tools: [],
    sampling: {},
    stream: false,
    metadata: {},
    providerOptions: {},
    ...extra,
  };
}

const weatherTool = {
  name: 'get_weather',
  description: 'Weather of a city',
  inputSchema: {
    $schema: 'http://json-schema.org/draft-07/schema#',
    type: 'object',
    properties: { city: { type: 'string' } },
    required: ['city'],
    additionalProperties: false,
  },
};

function contentsOf(messages: CanonicalMessage[], options = {}) {
  return convertToGeminiRequest(request({ messages }), options).value.contents;
}

describe('convertToGeminiRequest', () => {
  it('sends the system text as systemInstruction and leaves out empty system text', () => {
    const system = [
      { type: 'text' as const, text: 'Be brief.' },
      { type: 'text' as const, text: '' },
    ];
    expect(convertToGeminiRequest(request({ system })).value.systemInstruction).toEqual({
      parts: [{ text: 'Be brief.' }],
    });
    expect(convertToGeminiRequest(request()).value).not.toHaveProperty('systemInstruction');
  });

  it('sends images and files as inlineData or fileData with a media type from the extension', () => {
    const contents = contentsOf([
      {
        role: 'user',
        content: [
          { type: 'image', source: { type: 'base64', mediaType: 'image/png', data: 'iVBO' } },
          { type: 'image', source: { type: 'url', url: 'https://example.com/cat.webp?size=2' } },
          { type: 'file', source: { type: 'url', url: 'https://example.com/report' } },
        ],
      },
    ]);
    expect(contents).toEqual([
      {
        role: 'user',
        parts: [
          { inlineData: { mimeType: 'image/png', data: 'iVBO' } },
          { fileData: { mimeType: 'image/webp', fileUri: 'https://example.com/cat.webp?size=2' } },
          { fileData: { mimeType: 'application/pdf', fileUri: 'https://example.com/report' } },
        ],
      },
    ]);
  });

  it('answers tool calls with functionResponse named after the call, merged into one user turn', () => {
    const { value, warnings } = convertToGeminiRequest(
      request({
        messages: [
          { role: 'user', content: [{ type: 'text', text: 'weather?' }] },
          {
            role: 'assistant',
            content: [
              { type: 'tool-call', id: 'call_a', name: 'get_weather', input: { city: 'Paris' } },
              { type: 'tool-call', id: 'call_b', name: 'get_time', input: {} },
            ],
          },
          {
            role: 'tool',
            content: [
              { type: 'tool-result', toolCallId: 'call_a', content: '{"celsius":21}' },
              { type: 'tool-result', toolCallId: 'call_b', content: 'timeout', isError: true },
            ],
          },
          { role: 'user', content: [{ type: 'text', text: 'and?' }] },
        ],
      }),
    );
    expect(value.contents.map((content) => content.role)).toEqual(['user', 'model', 'user']);
    expect(value.contents[2]?.parts).toEqual([
      { functionResponse: { name: 'get_weather', response: { celsius: 21 } } },
      { functionResponse: { name: 'get_time', response: { error: 'timeout' } } },
      { text: 'and?' },
    ]);
    expect(warnings).toEqual([]);
  });

  it('wraps plain text results as {output} and sends result images after the function response', () => {
    const [, , tool] = contentsOf([
      { role: 'user', content: [{ type: 'text', text: 'shot' }] },
      { role: 'assistant', content: [{ type: 'tool-call', id: 't1', name: 'screenshot', input: {} }] },
      {
        role: 'tool',
        content: [
          {
            type: 'tool-result',
            toolCallId: 't1',
            content: [
              { type: 'text', text: 'done' },
              { type: 'image', source: { type: 'base64', mediaType: 'image/jpeg', data: '/9j/' } },
            ],
          },
        ],
      },
    ]);
    expect(tool?.parts).toEqual([
      { functionResponse: { name: 'screenshot', response: { output: 'done' } } },
      { inlineData: { mimeType: 'image/jpeg', data: '/9j/' } },
    ]);
  });

  it('sends call ids only when asked to', () => {
    const messages: CanonicalMessage[] = [
      { role: 'user', content: [{ type: 'text', text: 'x' }] },
      { role: 'assistant', content: [{ type: 'tool-call', id: 'toolu_1', name: 'Read', input: {} }] },
      { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'toolu_1', content: 'ok' }] },
    ];
    const withIds = contentsOf(messages, { includeCallIds: true, fallbackSignature: null });
    expect(withIds[1]?.parts[0]).toEqual({ functionCall: { name: 'Read', args: {}, id: 'toolu_1' } });
    expect(withIds[2]?.parts[0]).toEqual({
      functionResponse: { name: 'Read', response: { output: 'ok' }, id: 'toolu_1' },
    });
    expect(contentsOf(messages, { fallbackSignature: null })[1]?.parts[0]).toEqual({
      functionCall: { name: 'Read', args: {} },
    });
  });

  describe('thought signatures', () => {
    const user: CanonicalMessage = { role: 'user', content: [{ type: 'text', text: 'go' }] };

    it.each<{ name: string; content: CanonicalMessage & { role: 'assistant' }; parts: unknown[] }>([
      {
        name: 'reasoning with text becomes a signed thought part',
        content: {
          role: 'assistant',
          content: [
            { type: 'reasoning', text: 'thinking', signature: 'S1' },
            { type: 'text', text: 'answer' },
          ],
        },
        parts: [{ text: 'thinking', thought: true, thoughtSignature: 'S1' }, { text: 'answer' }],
      },
      {
        name: 'a signature-only reasoning part goes on the next part',
        content: {
          role: 'assistant',
          content: [
            { type: 'reasoning', text: '', signature: 'S2' },
            { type: 'tool-call', id: 'c', name: 'f', input: { a: 1 } },
          ],
        },
        parts: [{ functionCall: { name: 'f', args: { a: 1 } }, thoughtSignature: 'S2' }],
      },
      {
        name: 'a trailing signature stands alone on an empty text part',
        content: {
          role: 'assistant',
          content: [
            { type: 'text', text: 'done' },
            { type: 'reasoning', text: '', signature: 'S3' },
          ],
        },
        parts: [{ text: 'done' }, { text: '', thoughtSignature: 'S3' }],
      },
      {
        name: 'the first call of a turn without a signature gets the fallback',
        content: {
          role: 'assistant',
          content: [
            { type: 'tool-call', id: 'c1', name: 'f', input: {} },
            { type: 'tool-call', id: 'c2', name: 'f', input: {} },
          ],
        },
        parts: [
          { functionCall: { name: 'f', args: {} }, thoughtSignature: 'skip_thought_signature_validator' },
          { functionCall: { name: 'f', args: {} } },
        ],
      },
    ])('$name', ({ content, parts }) => {
      expect(contentsOf([user, content])[1]?.parts).toEqual(parts);
    });

    it('drops reasoning without a signature, with a warning', () => {
      const { value, warnings } = convertToGeminiRequest(
        request({
          messages: [
            user,
            {
              role: 'assistant',
              content: [
                { type: 'reasoning', text: 'unsigned' },
                { type: 'text', text: 'hi' },
              ],
            },
          ],
        }),
      );
      expect(value.contents[1]?.parts).toEqual([{ text: 'hi' }]);
      expect(warnings).toEqual([
        expect.objectContaining({ type: 'unsupported', field: 'messages[1].content[0]' }),
      ]);
    });
  });

  it('sends a mid-conversation system message as user text, with a warning, merged with the user turn', () => {
    const { value, warnings } = convertToGeminiRequest(
      request({
        messages: [
          { role: 'user', content: [{ type: 'text', text: 'a' }] },
          { role: 'system', content: [{ type: 'text', text: 'reminder' }] },
        ],
      }),
    );
    expect(value.contents).toEqual([{ role: 'user', parts: [{ text: 'a' }, { text: 'reminder' }] }]);
    expect(warnings).toEqual([expect.objectContaining({ type: 'lossy', field: 'messages[1]' })]);
  });

  it('leaves out a message with nothing Gemini accepts, with a warning', () => {
    const { value, warnings } = convertToGeminiRequest(
      request({ messages: [{ role: 'user', content: [{ type: 'text', text: '' }] }] }),
    );
    expect(value.contents).toEqual([]);
    expect(warnings).toEqual([expect.objectContaining({ field: 'messages[0]' })]);
  });

  it('declares tools with parametersJsonSchema by default, cleaned of $schema', () => {
    const { value } = convertToGeminiRequest(request({ tools: [weatherTool] }));
    const { $schema: _schema, ...schema } = weatherTool.inputSchema;
    expect(value.tools).toEqual([
      {
        functionDeclarations: [
          { name: 'get_weather', description: 'Weather of a city', parametersJsonSchema: schema },
        ],
      },
    ]);
  });

  it('declares tools with OpenAPI parameters in openapi mode, omitting empty ones', () => {
    const noArguments = { name: 'now', inputSchema: { type: 'object', properties: {} } };
    const { value } = convertToGeminiRequest(request({ tools: [weatherTool, noArguments] }), {
      schemaMode: 'openapi',
    });
    expect(value.tools).toEqual([
      {
        functionDeclarations: [
          {
            name: 'get_weather',
            description: 'Weather of a city',
            parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
          },
          { name: 'now' },
        ],
      },
    ]);
  });

  it('adds built-in tools from the Google options after the function declarations', () => {
    const { value } = convertToGeminiRequest(
      request({
        tools: [weatherTool],
        providerOptions: { google: { builtinTools: [{ googleSearch: {} }] } },
      }),
    );
    expect(value.tools?.[1]).toEqual({ googleSearch: {} });
  });

  it.each([
    [{ type: 'auto' }, { mode: 'AUTO' }],
    [{ type: 'none' }, { mode: 'NONE' }],
    [{ type: 'required' }, { mode: 'ANY' }],
    [
      { type: 'tool', toolName: 'get_weather' },
      { mode: 'ANY', allowedFunctionNames: ['get_weather'] },
    ],
  ] as const)('tool choice %j → functionCallingConfig %j', (toolChoice, config) => {
    const { value } = convertToGeminiRequest(request({ tools: [weatherTool], toolChoice }));
    expect(value.toolConfig).toEqual({ functionCallingConfig: config });
  });

  it('sends no toolConfig without tools, and warns that parallel calls cannot be turned off', () => {
    const { value, warnings } = convertToGeminiRequest(
      request({ toolChoice: { type: 'auto' }, parallelToolCalls: false }),
    );
    expect(value).not.toHaveProperty('toolConfig');
    expect(warnings).toEqual([expect.objectContaining({ field: 'parallelToolCalls' })]);
  });

  it('maps sampling, output limit and stop sequences into generationConfig, at most five stops', () => {
    const { value, warnings } = convertToGeminiRequest(
      request({
        sampling: { temperature: 0.2, topP: 0.9, topK: 40 },
        maxOutputTokens: 1000,
        stopSequences: ['1', '2', '3', '4', '5', '6'],
      }),
    );
    expect(value.generationConfig).toEqual({
      temperature: 0.2,
      topP: 0.9,
      topK: 40,
      maxOutputTokens: 1000,
      stopSequences: ['1', '2', '3', '4', '5'],
    });
    expect(warnings).toEqual([expect.objectContaining({ type: 'lossy', field: 'stopSequences' })]);
  });

  it.each<[string, GeminiSchemaMode, ResponseFormat, object]>([
    ['json', 'json-schema', { type: 'json' }, { responseMimeType: 'application/json' }],
    [
      'a schema',
      'json-schema',
      { type: 'json_schema', schema: { type: 'object', properties: { a: { type: 'string' } } } },
      {
        responseMimeType: 'application/json',
        responseJsonSchema: { type: 'object', properties: { a: { type: 'string' } } },
      },
    ],
    [
      'a schema',
      'openapi',
      { type: 'json_schema', schema: { type: 'object', properties: { a: { type: ['string', 'null'] } } } },
      {
        responseMimeType: 'application/json',
        responseSchema: { type: 'object', properties: { a: { type: 'string', nullable: true } } },
      },
    ],
  ])('response format %s in %s mode', (_name, schemaMode, responseFormat, config) => {
    const { value } = convertToGeminiRequest(request({ responseFormat }), { schemaMode });
    expect(value.generationConfig).toEqual(config);
  });

  it.each<[string, string, ReasoningConfig, object]>([
    ['off', 'gemini-2.5-flash', { enabled: false }, { thinkingBudget: 0 }],
    [
      'a budget',
      'gemini-2.5-pro',
      { enabled: true, budgetTokens: 4096 },
      { includeThoughts: true, thinkingBudget: 4096 },
    ],
    ['adaptive', 'gemini-2.5-pro', { enabled: true }, { includeThoughts: true, thinkingBudget: -1 }],
    [
      'an effort on Gemini 3',
      'gemini-3-pro-preview',
      { enabled: true, effort: 'low' },
      { includeThoughts: true, thinkingLevel: 'LOW' },
    ],
    [
      'xhigh on Gemini 3',
      'gemini-3-pro-preview',
      { enabled: true, effort: 'xhigh' },
      { includeThoughts: true, thinkingLevel: 'HIGH' },
    ],
    [
      'an effort on Gemini 2.5',
      'gemini-2.5-flash',
      { enabled: true, effort: 'medium' },
      { includeThoughts: true, thinkingBudget: 8192 },
    ],
  ])('thinking %s (%s)', (_name, model, reasoning, thinkingConfig) => {
    const { value } = convertToGeminiRequest(request({ model, reasoning }));
    expect(value.generationConfig).toEqual({ thinkingConfig });
  });

  it('warns when an effort has no Gemini level', () => {
    const { warnings } = convertToGeminiRequest(
      request({ model: 'gemini-3-pro-preview', reasoning: { enabled: true, effort: 'max' } }),
    );
    expect(warnings).toEqual([expect.objectContaining({ type: 'lossy', field: 'reasoning.effort' })]);
  });

  it('adds Google extras without overriding what the converter sets', () => {
    const { value } = convertToGeminiRequest(
      request({
        sampling: { temperature: 0.5 },
        providerOptions: {
          google: {
            generationConfig: { temperature: 1.5, seed: 7 },
            safetySettings: [{ category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_NONE' }],
            extraBody: { cachedContent: 'cachedContents/abc', contents: 'ignored' },
          },
        },
      }),
    );
    expect(value.generationConfig).toEqual({ temperature: 0.5, seed: 7 });
    expect(value.safetySettings).toEqual([{ category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_NONE' }]);
    expect(value.cachedContent).toBe('cachedContents/abc');
    expect(value.contents).toEqual([{ role: 'user', parts: [{ text: 'hi' }] }]);
  });

  it('warns about options meant for other providers', () => {
    const { warnings } = convertToGeminiRequest(
      request({ providerOptions: { anthropic: { extraBody: { service_tier: 'auto' } } } }),
    );
    expect(warnings).toEqual([expect.objectContaining({ field: 'providerOptions.anthropic' })]);
  });

  it('leaves cache breakpoints out, with a warning (Gemini caches prefixes on its own)', () => {
    const { value, warnings } = convertToGeminiRequest(
      request({ system: [{ type: 'text', text: 'rules', cacheControl: { type: 'ephemeral' } }] }),
    );
    expect(value.systemInstruction).toEqual({ parts: [{ text: 'rules' }] });
    expect(warnings).toEqual([expect.objectContaining({ type: 'unsupported', field: 'cacheControl' })]);
  });
});
