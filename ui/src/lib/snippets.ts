/** Ready-to-copy client configuration for the API Proxy page, with the gateway's real address and key. */

export interface SnippetInput {
  /** The gateway's base URL without a trailing slash, e.g. `http://127.0.0.1:8045`. */
  baseUrl: string;
  apiKey: string;
  /** Model names to put in the examples, per client family. */
  models: { openai: string; anthropic: string; gemini: string };
}

export interface Snippet {
  id: 'openai' | 'anthropic' | 'gemini' | 'claude-code' | 'codex' | 'curl';
  title: string;
  /** Where it goes, in a few words. */
  hint: string;
  language: 'python' | 'shell' | 'toml';
  code: string;
}

export const DEFAULT_SNIPPET_MODELS: SnippetInput['models'] = {
  openai: 'gpt-4o',
  anthropic: 'claude-sonnet-4-5',
  gemini: 'gemini-2.5-flash',
};

/**
 * The URL clients use to reach a gateway bound to `host:port`. A wildcard bind address (`0.0.0.0`,
 * `::`) is not an address a client can use: the host the page was loaded from is.
 */
export function gatewayBaseUrl(options: { host: string; port: number; pageHostname: string }): string {
  const wildcard = options.host === '0.0.0.0' || options.host === '::' || options.host === '';
  const host = wildcard ? options.pageHostname || '127.0.0.1' : options.host;
  const bracketed = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return `http://${bracketed}:${options.port}`;
}

/** One snippet per supported client: OpenAI, Anthropic and Gemini SDKs, Claude Code, Codex, curl. */
export function buildSnippets(input: SnippetInput): Snippet[] {
  const { baseUrl, apiKey, models } = input;
  const key = quoted(apiKey);
  return [
    {
      id: 'openai',
      title: 'OpenAI SDK (Python)',
      hint: 'Any OpenAI-compatible client: base URL ends in /v1',
      language: 'python',
      code: [
        'from openai import OpenAI',
        '',
        `client = OpenAI(base_url=${quoted(`${baseUrl}/v1`)}, api_key=${key})`,
        'reply = client.chat.completions.create(',
        `    model=${quoted(models.openai)},`,
        '    messages=[{"role": "user", "content": "Hello"}],',
        ')',
        'print(reply.choices[0].message.content)',
      ].join('\n'),
    },
    {
      id: 'anthropic',
      title: 'Anthropic SDK (Python)',
      hint: 'Messages API at the gateway root',
      language: 'python',
      code: [
        'from anthropic import Anthropic',
        '',
        `client = Anthropic(base_url=${quoted(baseUrl)}, api_key=${key})`,
        'reply = client.messages.create(',
        `    model=${quoted(models.anthropic)},`,
        '    max_tokens=1024,',
        '    messages=[{"role": "user", "content": "Hello"}],',
        ')',
        'print(reply.content[0].text)',
      ].join('\n'),
    },
    {
      id: 'gemini',
      title: 'Gemini SDK (google-genai, Python)',
      hint: 'Generative Language API at the gateway root (/v1beta)',
      language: 'python',
      code: [
        'from google import genai',
        'from google.genai import types',
        '',
        'client = genai.Client(',
        `    api_key=${key},`,
        `    http_options=types.HttpOptions(base_url=${quoted(baseUrl)}),`,
        ')',
        `reply = client.models.generate_content(model=${quoted(models.gemini)}, contents="Hello")`,
        'print(reply.text)',
      ].join('\n'),
    },
    {
      id: 'claude-code',
      title: 'Claude Code',
      hint: 'In the shell that starts `claude`',
      language: 'shell',
      code: [
        `export ANTHROPIC_BASE_URL=${shellQuoted(baseUrl)}`,
        `export ANTHROPIC_AUTH_TOKEN=${shellQuoted(apiKey)}`,
        'claude',
      ].join('\n'),
    },
    {
      id: 'codex',
      title: 'Codex (~/.codex/config.toml)',
      hint: `Then run: export SWITCHYARD_API_KEY=${shellQuoted(apiKey)}`,
      language: 'toml',
      code: [
        'model_provider = "switchyard"',
        `model = ${quoted(models.openai)}`,
        '',
        '[model_providers.switchyard]',
        'name = "Switchyard"',
        `base_url = ${quoted(`${baseUrl}/v1`)}`,
        'env_key = "SWITCHYARD_API_KEY"',
        'wire_api = "responses"',
      ].join('\n'),
    },
    {
      id: 'curl',
      title: 'curl',
      hint: 'The response headers name the account: X-Account-Email',
      language: 'shell',
      code: [
        `curl -i ${shellQuoted(`${baseUrl}/v1/chat/completions`)} \\`,
        `  -H ${shellQuoted(`Authorization: Bearer ${apiKey}`)} \\`,
        "  -H 'content-type: application/json' \\",
        `  -d ${shellQuoted(JSON.stringify({ model: models.openai, messages: [{ role: 'user', content: 'Hello' }] }))}`,
      ].join('\n'),
    },
  ];
}

// A JSON string literal is also a valid Python and TOML basic string.
function quoted(text: string): string {
  return JSON.stringify(text);
}

function shellQuoted(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`;
}
