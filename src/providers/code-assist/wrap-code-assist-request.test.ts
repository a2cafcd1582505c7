import { describe, expect, it } from 'vitest';
import { parseCodeAssistResponse } from './parse-code-assist-response.js';
import { unwrapCodeAssistResponse } from './unwrap-code-assist-response.js';
import { wrapCodeAssistRequest } from './wrap-code-assist-request.js';

describe('wrapCodeAssistRequest', () => {
  const request = { contents: [{ role: 'user' as const, parts: [{ text: 'hi' }] }] };

  it('puts model and project beside the Gemini request', () => {
    expect(wrapCodeAssistRequest({ model: 'models/gemini-2.5-pro', project: 'proj-1', request })).toEqual({
      model: 'gemini-2.5-pro',
      project: 'proj-1',
      request,
    });
  });

  it('adds the prompt id and the session id inside the request when given, and no empty project', () => {
    expect(
      wrapCodeAssistRequest({
        model: 'gemini-2.5-pro',
        project: '',
        request,
        userPromptId: 'p1',
        sessionId: 's1',
      }),
    ).toEqual({ model: 'gemini-2.5-pro', user_prompt_id: 'p1', request: { ...request, session_id: 's1' } });
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
