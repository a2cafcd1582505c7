import { describe, expect, it } from 'vitest';
import { isSwitchyardError } from '../../core/errors.js';
import { decodeGeminiRequest } from './decode-gemini-request.js';

const url = { model: 'gemini-2.5-pro', stream: false };

function body(extra: Record<string, unknown> = {}) {
  return { contents: [{ role: 'user', parts: [{ text: 'hi' }] }], ...extra };
}

function decode(extra: Record<string, unknown> = {}) {
  return decodeGeminiRequest(body(extra), url);
}

function fieldOfError(value: unknown): unknown {
  try {
    decodeGeminiRequest(value, url);
  } catch (error) {
    if (isSwitchyardError(error) && error.code === 'invalid_request') return error.details?.field;
    throw error;
  }
  return 'no error';
}

describe('decodeGeminiRequest', () => {
  it('takes model and stream from the URL, the model without a models/ prefix', () => {
    const { value } = decodeGeminiRequest(body(), { model: 'models/gemini-2.5-flash', stream: true });
    expect(value.model).toBe('gemini-2.5-flash');
    expect(value.stream).toBe(true);
  });

  it.each([
    ['a Content', { parts: [{ text: 'Be brief.' }, { text: 'Be kind.' }] }, ['Be brief.', 'Be kind.']],
    ['a string', 'Be brief.', ['Be brief.']],
  ])('decodes systemInstruction given as %s', (_name, systemInstruction, texts) => {
    expect(decode({ systemInstruction }).value.system).toEqual(texts.map((text) => ({ type: 'text', text })));
  });

  it('decodes user parts: text, inline images and files, file data by URI', () => {
    const { value, warnings } = decodeGeminiRequest(
      {
        contents: [
          {
            parts: [
              { text: 'look' },
              { inlineData: { mimeType: 'image/png', data: 'iVBO' } },
              { inlineData: { mimeType: 'application/pdf', data: 'JVBE' } },
              { fileData: { mimeType: 'image/jpeg', fileUri: 'https://example.com/a.jpg' } },
              { fileData: { mimeType: 'video/mp4', fileUri: 'https://example.com/v.mp4' } },
            ],
          },
        ],
      },
      url,
    );
    expect(value.messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'look' },
          { type: 'image', source: { type: 'base64', mediaType: 'image/png', data: 'iVBO' } },
          { type: 'file', source: { type: 'base64', mediaType: 'application/pdf', data: 'JVBE' } },
          { type: 'image', source: { type: 'url', url: 'https://example.com/a.jpg' } },
          { type: 'file', source: { type: 'url', url: 'https://example.com/v.mp4' } },
        ],
      },
    ]);
    expect(warnings).toEqual([]);
  });

  it('gives function calls stable ids and pairs responses with them by name, oldest first', () => {
    const contents = [
      { role: 'user', parts: [{ text: 'weather in two cities' }] },
      {
        role: 'model',
        parts: [
          { functionCall: { name: 'get_weather', args: { city: 'Paris' } } },
          { functionCall: { name: 'get_weather', args: { city: 'Rome' } } },
        ],
      },
      {
        role: 'user',
        parts: [
          { functionResponse: { name: 'get_weather', response: { output: 'sunny' } } },
          { functionResponse: { name: 'get_weather', response: { temperature: 20 } } },
        ],
      },
    ];
    const first = decodeGeminiRequest({ contents }, url).value;
    expect(first.messages[1]).toEqual({
      role: 'assistant',
      content: [
        { type: 'tool-call', id: 'call_0_get_weather', name: 'get_weather', input: { city: 'Paris' } },
        { type: 'tool-call', id: 'call_1_get_weather', name: 'get_weather', input: { city: 'Rome' } },
      ],
    });
    expect(first.messages[2]).toEqual({
      role: 'tool',
      content: [
        { type: 'tool-result', toolCallId: 'call_0_get_weather', toolName: 'get_weather', content: 'sunny' },
        {
          type: 'tool-result',
          toolCallId: 'call_1_get_weather',
          toolName: 'get_weather',
          content: '{"temperature":20}',
        },
      ],
    });
    const later = decodeGeminiRequest(
      { contents: [...contents, { role: 'model', parts: [{ text: 'ok' }] }] },
      url,
    );
    expect(later.value.messages.slice(0, 3)).toEqual(first.messages);
  });

  it('uses the ids a client sends with calls and responses', () => {
    const { value } = decodeGeminiRequest(
      {
        contents: [
          { role: 'model', parts: [{ functionCall: { id: 'toolu_9', name: 'Read', args: {} } }] },
          {
            role: 'user',
            parts: [{ functionResponse: { id: 'toolu_9', name: 'Read', response: { error: 'gone' } } }],
          },
        ],
      },
      url,
    );
    expect(value.messages[0]?.content[0]).toMatchObject({ id: 'toolu_9' });
    expect(value.messages[1]?.content[0]).toEqual({
      type: 'tool-result',
      toolCallId: 'toolu_9',
      toolName: 'Read',
      content: 'gone',
      isError: true,
    });
  });

  it('splits a user turn into tool results and the user content after them', () => {
    const { value } = decodeGeminiRequest(
      {
        contents: [
          { role: 'model', parts: [{ functionCall: { name: 'f', args: {} } }] },
          {
            role: 'user',
            parts: [{ functionResponse: { name: 'f', response: {} } }, { text: 'now continue' }],
          },
        ],
      },
      url,
    );
    expect(value.messages.map((message) => message.role)).toEqual(['assistant', 'tool', 'user']);
  });

  it('warns about a function response that answers no call and keeps it', () => {
    const { value, warnings } = decodeGeminiRequest(
      { contents: [{ role: 'user', parts: [{ functionResponse: { name: 'lost', response: {} } }] }] },
      url,
    );
    expect(value.messages[0]?.role).toBe('tool');
    expect(warnings).toEqual([expect.objectContaining({ field: 'contents[0].parts[0].functionResponse' })]);
  });

  it('joins streamed model parts: thought runs until a signature, text runs, signatures on other parts', () => {
    const { value } = decodeGeminiRequest(
      {
        contents: [
          {
            role: 'model',
            parts: [
              { text: 'think ', thought: true },
              { text: 'more', thought: true },
              { text: '', thought: true, thoughtSignature: 'S1' },
              { text: 'Hello' },
              { text: ' world' },
              { functionCall: { name: 'f', args: { a: 1 } }, thoughtSignature: 'S2' },
              { text: '', thoughtSignature: 'S3' },
            ],
          },
        ],
      },
      url,
    );
    expect(value.messages[0]?.content).toEqual([
      { type: 'reasoning', text: 'think more', signature: 'S1' },
      { type: 'text', text: 'Hello world' },
      { type: 'reasoning', text: '', signature: 'S2' },
      { type: 'tool-call', id: 'call_0_f', name: 'f', input: { a: 1 } },
      { type: 'reasoning', text: '', signature: 'S3' },
    ]);
  });

  it('drops parts it cannot translate with a warning', () => {
    const { warnings } = decode({
      contents: [{ role: 'model', parts: [{ executableCode: { language: 'PYTHON', code: '1' } }] }],
    });
    expect(warnings).toEqual([
      expect.objectContaining({ type: 'unsupported', field: 'contents[0].parts[0]' }),
    ]);
  });

  it('decodes function declarations from parametersJsonSchema as is and from OpenAPI parameters', () => {
    const { value } = decode({
      tools: [
        {
          functionDeclarations: [
            {
              name: 'a',
              description: 'A',
              parametersJsonSchema: { type: 'object', additionalProperties: false },
            },
            {
              name: 'b',
              parameters: {
                type: 'OBJECT',
                properties: { s: { type: 'STRING', nullable: true }, n: { type: 'INTEGER' } },
                propertyOrdering: ['s', 'n'],
              },
            },
            { name: 'c' },
          ],
        },
        { googleSearch: {} },
      ],
    });
    expect(value.tools).toEqual([
      { name: 'a', description: 'A', inputSchema: { type: 'object', additionalProperties: false } },
      {
        name: 'b',
        inputSchema: {
          type: 'object',
          properties: { s: { type: ['string', 'null'] }, n: { type: 'integer' } },
        },
      },
      { name: 'c', inputSchema: { type: 'object', properties: {} } },
    ]);
    expect(value.providerOptions.google?.builtinTools).toEqual([{ googleSearch: {} }]);
  });

  it.each([
    [{ mode: 'AUTO' }, { type: 'auto' }],
    [{ mode: 'VALIDATED' }, { type: 'auto' }],
    [{ mode: 'NONE' }, { type: 'none' }],
    [{ mode: 'ANY' }, { type: 'required' }],
    [
      { mode: 'ANY', allowedFunctionNames: ['f'] },
      { type: 'tool', toolName: 'f' },
    ],
    [{ mode: 'any', allowedFunctionNames: ['f', 'g'] }, { type: 'required' }],
    [{}, undefined],
  ])('functionCallingConfig %j → tool choice %j', (functionCallingConfig, toolChoice) => {
    expect(decode({ toolConfig: { functionCallingConfig } }).value.toolChoice).toEqual(toolChoice);
  });

  it('decodes sampling, output limit and stop sequences', () => {
    const { value } = decode({
      generationConfig: {
        temperature: 0.3,
        topP: 0.8,
        topK: 20,
        maxOutputTokens: 512,
        stopSequences: ['END'],
      },
    });
    expect(value.sampling).toEqual({ temperature: 0.3, topP: 0.8, topK: 20 });
    expect(value.maxOutputTokens).toBe(512);
    expect(value.stopSequences).toEqual(['END']);
  });

  it.each([
    [{ responseMimeType: 'application/json' }, { type: 'json' }],
    [
      { responseMimeType: 'application/json', responseJsonSchema: { type: 'object', properties: {} } },
      { type: 'json_schema', schema: { type: 'object', properties: {} } },
    ],
    [
      { responseMimeType: 'application/json', responseSchema: { type: 'ARRAY', items: { type: 'STRING' } } },
      { type: 'json_schema', schema: { type: 'array', items: { type: 'string' } } },
    ],
    [{ responseMimeType: 'text/plain' }, undefined],
  ])('generationConfig %j → response format %j', (generationConfig, responseFormat) => {
    expect(decode({ generationConfig }).value.responseFormat).toEqual(responseFormat);
  });

  it('warns about a response type it cannot translate', () => {
    const { value, warnings } = decode({ generationConfig: { responseMimeType: 'text/x.enum' } });
    expect(value.responseFormat).toBeUndefined();
    expect(warnings).toEqual([expect.objectContaining({ field: 'generationConfig.responseMimeType' })]);
  });

  it.each([
    [{ thinkingBudget: 0 }, { enabled: false }, false],
    [{ thinkingBudget: -1, includeThoughts: true }, { enabled: true }, true],
    [{ thinkingBudget: 2048 }, { enabled: true, budgetTokens: 2048 }, false],
    [{ thinkingLevel: 'LOW' }, { enabled: true, effort: 'low' }, false],
    [{ thinkingLevel: 'high', includeThoughts: true }, { enabled: true, effort: 'high' }, true],
    [{ includeThoughts: true }, { enabled: true }, true],
    [{ includeThoughts: false }, undefined, false],
  ])('thinkingConfig %j → reasoning %j, includeThoughts %s', (thinkingConfig, reasoning, includeThoughts) => {
    const decoded = decode({ generationConfig: { thinkingConfig } });
    expect(decoded.value.reasoning).toEqual(reasoning);
    expect(decoded.includeThoughts).toBe(includeThoughts);
  });

  it('warns when more than one candidate is asked for', () => {
    expect(decode({ generationConfig: { candidateCount: 2 } }).warnings).toEqual([
      expect.objectContaining({ field: 'generationConfig.candidateCount' }),
    ]);
  });

  it('keeps safety settings, unmodeled generationConfig keys and top-level fields for Gemini upstreams', () => {
    const { value } = decode({
      model: 'ignored',
      safetySettings: [{ category: 'HARM_CATEGORY_HATE_SPEECH', threshold: 'BLOCK_NONE' }],
      generationConfig: { temperature: 1, seed: 3, responseModalities: ['TEXT'] },
      cachedContent: 'cachedContents/x',
    });
    expect(value.providerOptions.google).toEqual({
      safetySettings: [{ category: 'HARM_CATEGORY_HATE_SPEECH', threshold: 'BLOCK_NONE' }],
      generationConfig: { seed: 3, responseModalities: ['TEXT'] },
      extraBody: { cachedContent: 'cachedContents/x' },
    });
  });

  it('leaves provider options empty for a plain request', () => {
    expect(decode().value.providerOptions).toEqual({});
  });

  it.each([
    ['a body that is not an object', [], '(body)'],
    ['missing contents', {}, 'contents'],
    [
      'a part with a bad inlineData',
      body({ contents: [{ parts: [{ inlineData: { data: 1 } }] }] }),
      'contents[0].parts[0].inlineData.mimeType',
    ],
    [
      'a tool without a name',
      body({ tools: [{ functionDeclarations: [{}] }] }),
      'tools[0].functionDeclarations[0].name',
    ],
  ])('rejects %s, naming the field', (_name, value, field) => {
    expect(fieldOfError(value)).toBe(field);
  });
});
