import { describe, expect, it } from 'vitest';
import { parseCodeAssistResponse } from './parse-code-assist-response.js';
import { unwrapCodeAssistResponse } from './unwrap-code-assist-response.js';
import { wrapCodeAssistRequest } from './wrap-code-assist-request.js';

describe('wrapCodeAssistRequest', () => {
  const request = { contents: [{ role: 'user' as const, parts: [{ text: 'hi' }] }] };
  const envelope = {
    userAgent: 'antigravity',
    requestType: 'agent' as const,
    requestId: 'agent/1767225600000/0a1b2c3d',
    sessionId: '-5808590958014384194',
  };

  it("sends the reference's envelope: project, request, model, user agent, request type and id, credit types", () => {
    const body = wrapCodeAssistRequest({
      model: 'models/gemini-2.5-pro',
      project: 'proj-1',
      request,
      ...envelope,
    });
    expect(body).toEqual({
      project: 'proj-1',
      request: { sessionId: '-5808590958014384194', contents: request.contents },
      model: 'gemini-2.5-pro',
      userAgent: 'antigravity',
      requestType: 'agent',
      requestId: 'agent/1767225600000/0a1b2c3d',
      enabledCreditTypes: ['GOOGLE_ONE_AI'],
    });
    expect(Object.keys(body)).toEqual([
      'project',
      'request',
      'model',
      'userAgent',
      'requestType',
      'requestId',
      'enabledCreditTypes',
    ]);
  });

  it('orders the inner keys as the reference does, keeping unknown ones after', () => {
    const body = wrapCodeAssistRequest({
      model: 'gemini-2.5-pro',
      project: 'p',
      request: {
        contents: request.contents,
        generationConfig: { temperature: 0 },
        cachedContent: 'c',
        tools: [],
        systemInstruction: { parts: [{ text: 's' }] },
      } as never,
      ...envelope,
    });
    expect(Object.keys(body.request)).toEqual([
      'systemInstruction',
      'tools',
      'generationConfig',
      'sessionId',
      'contents',
      'cachedContent',
    ]);
  });

  it('leaves out an empty project, and the credit types for image generation', () => {
    const body = wrapCodeAssistRequest({
      model: 'gemini-3-pro-image',
      project: '',
      request,
      ...envelope,
      requestType: 'image_gen',
    });
    expect(body).not.toHaveProperty('project');
    expect(body).not.toHaveProperty('enabledCreditTypes');
    expect(body.requestType).toBe('image_gen');
  });
});

describe('unwrapCodeAssistResponse', () => {
  it('returns the response inside the envelope, and anything else as it is', () => {
    expect(unwrapCodeAssistResponse({ response: { responseId: 'r' }, traceId: 't' })).toEqual({
      responseId: 'r',
    });
    const error = { error: { code: 429, message: 'quota', status: 'RESOURCE_EXHAUSTED' } };
    expect(unwrapCodeAssistResponse(error)).toBe(error);
  });

  it('lets parseCodeAssistResponse read a wrapped body', () => {
    const parsed = parseCodeAssistResponse({
      response: {
        candidates: [{ content: { parts: [{ text: 'ok' }] }, finishReason: 'STOP' }],
        responseId: 'r1',
      },
    });
    expect(parsed).toMatchObject({ id: 'r1', content: [{ type: 'text', text: 'ok' }], finishReason: 'stop' });
  });
});
