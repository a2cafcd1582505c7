import { describe, expect, it } from 'vitest';
import { buildSnippets, DEFAULT_SNIPPET_MODELS, gatewayBaseUrl } from './snippets.js';

const input = {
  baseUrl: 'http://127.0.0.1:8045',
  apiKey: 'sk-0123456789abcdef',
  models: DEFAULT_SNIPPET_MODELS,
};
const snippet = (id: string, custom = input) =>
  buildSnippets(custom).find((entry) => entry.id === id)?.code ?? '';

describe('buildSnippets', () => {
  it('offers OpenAI, Anthropic, Gemini, Claude Code, Codex and curl', () => {
    expect(buildSnippets(input).map((entry) => entry.id)).toEqual([
      'openai',
      'anthropic',
      'gemini',
      'claude-code',
      'codex',
      'curl',
    ]);
  });

  it.each([
    ['openai', 'base_url="http://127.0.0.1:8045/v1"'],
    ['openai', 'model="gpt-4o"'],
    ['anthropic', 'base_url="http://127.0.0.1:8045"'],
    ['anthropic', 'model="claude-sonnet-4-5"'],
    ['gemini', 'base_url="http://127.0.0.1:8045"'],
    ['gemini', 'model="gemini-2.5-flash"'],
    ['claude-code', 'export ANTHROPIC_BASE_URL=http://127.0.0.1:8045\n'],
    ['claude-code', 'export ANTHROPIC_AUTH_TOKEN=sk-0123456789abcdef\n'],
    ['codex', '[model_providers.switchyard]'],
    ['codex', 'base_url = "http://127.0.0.1:8045/v1"'],
    ['codex', 'wire_api = "responses"'],
    ['codex', 'model_provider = "switchyard"'],
    ['curl', 'curl -i http://127.0.0.1:8045/v1/chat/completions'],
    ['curl', "-H 'Authorization: Bearer sk-0123456789abcdef'"],
  ])('the %s snippet contains %s', (id, text) => {
    expect(snippet(id)).toContain(text);
  });

  it('puts the real key in every SDK snippet', () => {
    for (const id of ['openai', 'anthropic', 'gemini'])
      expect(snippet(id)).toContain('api_key="sk-0123456789abcdef"');
    expect(buildSnippets(input).find((entry) => entry.id === 'codex')?.hint).toContain(
      'SWITCHYARD_API_KEY=sk-0123456789abcdef',
    );
  });

  it('uses the chosen models', () => {
    const custom = {
      ...input,
      models: { openai: 'o3', anthropic: 'claude-opus-4', gemini: 'gemini-2.5-pro' },
    };
    expect(snippet('openai', custom)).toContain('model="o3"');
    expect(snippet('codex', custom)).toContain('model = "o3"');
    expect(snippet('anthropic', custom)).toContain('model="claude-opus-4"');
    expect(snippet('gemini', custom)).toContain('model="gemini-2.5-pro"');
  });

  it('quotes keys with special characters so the snippet stays valid', () => {
    const tricky = { ...input, apiKey: `it's "quoted" $HOME` };
    expect(snippet('openai', tricky)).toContain('api_key="it\'s \\"quoted\\" $HOME"');
    expect(snippet('claude-code', tricky)).toContain(`export ANTHROPIC_AUTH_TOKEN='it'\\''s "quoted" $HOME'`);
  });
});

describe('gatewayBaseUrl', () => {
  it.each([
    [{ host: '127.0.0.1', port: 8045, pageHostname: 'localhost' }, 'http://127.0.0.1:8045'],
    [{ host: '0.0.0.0', port: 8045, pageHostname: '192.168.1.20' }, 'http://192.168.1.20:8045'],
    [{ host: '::', port: 9000, pageHostname: 'gateway.lan' }, 'http://gateway.lan:9000'],
    [{ host: '0.0.0.0', port: 8045, pageHostname: '' }, 'http://127.0.0.1:8045'],
    [{ host: '::1', port: 8045, pageHostname: 'x' }, 'http://[::1]:8045'],
  ])('for %o is %s', (options, url) => {
    expect(gatewayBaseUrl(options)).toBe(url);
  });
});
