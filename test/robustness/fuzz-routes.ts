/**
 * The routes the fuzz suites break bodies for, each with valid sample bodies that use many of the
 * protocol's fields (system prompts, images, tool calls and results, tools, sampling settings), so
 * "a wrong type at every path" reaches deep into the decoders. Proxy routes have a sample served by
 * an account of the same protocol (pass-through) and one served by another protocol's account
 * (translation, or a local token estimate for count-tokens).
 */
import type { JsonValue } from '../../src/core/json.js';
import type { ErrorDialect, StreamFormat } from '../support/protocol-answers.js';

/** A route under fuzz. */
export interface FuzzRoute {
  /** Shown in test names, e.g. `POST /v1/messages (stream)`. */
  name: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  dialect: ErrorDialect;
  /** Set when a successful answer is a stream in this format. */
  stream?: StreamFormat;
  /** Valid bodies; the first is the one every path of which is swept. */
  samples: JsonValue[];
}

const WEATHER_SCHEMA = {
  type: 'object',
  properties: { city: { type: 'string', description: 'City name' } },
  required: ['city'],
};
const PNG =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

function chat(model: string, stream: boolean): JsonValue {
  return {
    model,
    messages: [
      { role: 'system', content: 'You are terse.' },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is the weather in Paris today?' },
          { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG}`, detail: 'low' } },
        ],
      },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          {
            id: 'call_1',
            type: 'function',
            function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
          },
        ],
      },
      { role: 'tool', tool_call_id: 'call_1', content: 'sunny, 21 degrees' },
      { role: 'user', content: 'Thanks. And tomorrow?' },
    ],
    tools: [
      {
        type: 'function',
        function: { name: 'get_weather', description: 'Weather', parameters: WEATHER_SCHEMA },
      },
    ],
    tool_choice: 'auto',
    temperature: 0.2,
    max_tokens: 64,
    stop: ['\n\n'],
    user: 'fuzz-user',
    ...(stream ? { stream: true, stream_options: { include_usage: true } } : {}),
  };
}

function responses(model: string, stream: boolean): JsonValue {
  return {
    model,
    instructions: 'You are terse.',
    input: [
      {
        type: 'message',
        role: 'user',
        content: [
          { type: 'input_text', text: 'What is the weather in Paris today?' },
          { type: 'input_image', image_url: `data:image/png;base64,${PNG}` },
        ],
      },
      { type: 'function_call', call_id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}' },
      { type: 'function_call_output', call_id: 'call_1', output: 'sunny, 21 degrees' },
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Thanks. And tomorrow?' }] },
    ],
    tools: [{ type: 'function', name: 'get_weather', description: 'Weather', parameters: WEATHER_SCHEMA }],
    tool_choice: 'auto',
    reasoning: { effort: 'low', summary: 'auto' },
    max_output_tokens: 64,
    store: false,
    stream,
  };
}

function messagesBody(model: string, options: { stream?: boolean; countOnly?: boolean }): JsonValue {
  return {
    model,
    ...(options.countOnly ? {} : { max_tokens: 64, temperature: 0.2, metadata: { user_id: 'fuzz-user' } }),
    system: [{ type: 'text', text: 'You are terse.', cache_control: { type: 'ephemeral' } }],
    messages: [
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is the weather in Paris today?' },
          { type: 'image', source: { type: 'base64', media_type: 'image/png', data: PNG } },
        ],
      },
      {
        role: 'assistant',
        content: [
          { type: 'thinking', thinking: 'The user wants the weather.', signature: 'c2lnbmF0dXJl' },
          { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } },
        ],
      },
      {
        role: 'user',
        content: [
          {
            type: 'tool_result',
            tool_use_id: 'toolu_1',
            content: [{ type: 'text', text: 'sunny, 21 degrees' }],
          },
          { type: 'text', text: 'Thanks. And tomorrow?' },
        ],
      },
    ],
    tools: [{ name: 'get_weather', description: 'Weather', input_schema: WEATHER_SCHEMA }],
    tool_choice: { type: 'auto' },
    ...(options.stream ? { stream: true } : {}),
  };
}

function contents(countOnly: boolean): JsonValue {
  return {
    contents: [
      {
        role: 'user',
        parts: [
          { text: 'What is the weather in Paris today?' },
          { inlineData: { mimeType: 'image/png', data: PNG } },
        ],
      },
      { role: 'model', parts: [{ functionCall: { name: 'get_weather', args: { city: 'Paris' } } }] },
      {
        role: 'user',
        parts: [
          { functionResponse: { name: 'get_weather', response: { result: 'sunny, 21 degrees' } } },
          { text: 'Thanks. And tomorrow?' },
        ],
      },
    ],
    ...(countOnly
      ? {}
      : {
          systemInstruction: { parts: [{ text: 'You are terse.' }] },
          tools: [
            {
              functionDeclarations: [
                {
                  name: 'get_weather',
                  description: 'Weather',
                  parameters: {
                    type: 'OBJECT',
                    properties: { city: { type: 'STRING' } },
                    required: ['city'],
                  },
                },
              ],
            },
          ],
          generationConfig: { temperature: 0.2, maxOutputTokens: 64, stopSequences: ['\n\n'] },
        }),
  };
}

/** Models that the fuzz gateway's accounts serve: one per upstream protocol. */
export const FUZZ_MODELS = {
  openai: 'gpt-4o',
  anthropic: 'claude-sonnet-4-5',
  gemini: 'gemini-2.5-pro',
} as const;
const { openai: GPT, anthropic: CLAUDE, gemini: GEMINI } = FUZZ_MODELS;

/** Proxy routes: four protocols, streaming and not, and the two count-tokens endpoints. */
export const PROXY_ROUTES: FuzzRoute[] = [
  {
    name: 'POST /v1/chat/completions',
    method: 'POST',
    path: '/v1/chat/completions',
    dialect: 'openai',
    samples: [chat(GPT, false), chat(CLAUDE, false)],
  },
  {
    name: 'POST /v1/chat/completions (stream)',
    method: 'POST',
    path: '/v1/chat/completions',
    dialect: 'openai',
    stream: 'openai-chat',
    samples: [chat(GPT, true), chat(GEMINI, true)],
  },
  {
    name: 'POST /v1/responses',
    method: 'POST',
    path: '/v1/responses',
    dialect: 'openai',
    samples: [responses(GPT, false), responses(CLAUDE, false)],
  },
  {
    name: 'POST /v1/responses (stream)',
    method: 'POST',
    path: '/v1/responses',
    dialect: 'openai',
    stream: 'openai-responses',
    samples: [responses(GPT, true), responses(GEMINI, true)],
  },
  {
    name: 'POST /v1/messages',
    method: 'POST',
    path: '/v1/messages',
    dialect: 'anthropic',
    samples: [messagesBody(CLAUDE, {}), messagesBody(GPT, {})],
  },
  {
    name: 'POST /v1/messages (stream)',
    method: 'POST',
    path: '/v1/messages?beta=true',
    dialect: 'anthropic',
    stream: 'anthropic',
    samples: [messagesBody(CLAUDE, { stream: true }), messagesBody(GEMINI, { stream: true })],
  },
  {
    name: 'POST /v1/messages/count_tokens',
    method: 'POST',
    path: '/v1/messages/count_tokens',
    dialect: 'anthropic',
    // First the model no Anthropic account serves: counted by the gateway's own estimate.
    samples: [messagesBody(GPT, { countOnly: true }), messagesBody(CLAUDE, { countOnly: true })],
  },
  {
    name: 'POST /v1beta/models/{model}:generateContent',
    method: 'POST',
    path: `/v1beta/models/${GEMINI}:generateContent`,
    dialect: 'gemini',
    samples: [contents(false)],
  },
  {
    name: 'POST /v1beta/models/{model}:generateContent (translated)',
    method: 'POST',
    path: `/v1beta/models/${CLAUDE}:generateContent`,
    dialect: 'gemini',
    samples: [contents(false)],
  },
  {
    name: 'POST /v1beta/models/{model}:streamGenerateContent (stream)',
    method: 'POST',
    path: `/v1beta/models/${GEMINI}:streamGenerateContent?alt=sse`,
    dialect: 'gemini',
    stream: 'gemini',
    samples: [contents(false)],
  },
  {
    name: 'POST /v1beta/models/{model}:countTokens',
    method: 'POST',
    path: `/v1beta/models/${GEMINI}:countTokens`,
    dialect: 'gemini',
    samples: [contents(true)],
  },
  {
    name: 'POST /v1beta/models/{model}:countTokens (estimated)',
    method: 'POST',
    path: `/v1beta/models/${CLAUDE}:countTokens`,
    dialect: 'gemini',
    samples: [contents(true)],
  },
];

/** Ids the admin samples refer to, known once the fuzz gateway runs. */
export interface AdminContext {
  accountId: string;
  /** The client key the key samples change. */
  keyId: string;
}

/** Admin routes that take a body. */
export function adminRoutes(context: AdminContext): FuzzRoute[] {
  const admin = (method: FuzzRoute['method'], path: string, sample: JsonValue): FuzzRoute => ({
    name: `${method} ${path.replace(context.accountId, ':id').replace(context.keyId, ':id')}`,
    method,
    path,
    dialect: 'admin',
    samples: [sample],
  });
  return [
    admin('POST', '/api/accounts', {
      provider: 'openai',
      email: 'added@example.com',
      api_key: 'sk-added-by-fuzz',
      base_url: 'http://127.0.0.1:9/v1',
      tier: 'PRO',
      models: ['gpt-4o', 'gpt-4*'],
      label: 'added',
    }),
    admin('PATCH', `/api/accounts/${context.accountId}`, {
      label: 'renamed',
      tier: 'ULTRA',
      models: ['gpt-4o'],
      base_url: 'http://127.0.0.1:9/v1',
      disabled: false,
      disabled_reason: null,
      proxy_disabled: false,
    }),
    admin('POST', '/api/accounts/import', [
      {
        provider: 'anthropic',
        email: 'imported@example.com',
        api_key: 'sk-ant-imported-by-fuzz',
        tier: 'FREE',
      },
      { email: 'oauth@example.com', refresh_token: '1//imported-refresh-token' },
    ]),
    admin('PUT', '/api/config', {
      proxy: {
        request_timeout: 120,
        max_attempts: 3,
        scheduling: { mode: 'Balance', max_wait_seconds: 60 },
        custom_mapping: { 'gpt-4*': 'claude-sonnet-4-5' },
        quota_protection: { enabled: false, threshold_percentage: 10, monitored_models: ['gemini-*'] },
        logging: { retention_days: 7, debug_bodies: false },
      },
      refresh_interval: 15,
    }),
    admin('PUT', '/api/proxy/scheduling', { mode: 'CacheFirst', max_wait_seconds: 30 }),
    admin('PUT', '/api/proxy/fixed-account', { account_id: context.accountId }),
    admin('POST', '/api/proxy/mapping/test', { model: 'gpt-4o-mini' }),
    admin('POST', '/api/accounts/oauth/start', {
      provider: 'code-assist',
      redirect_uri: 'http://127.0.0.1:8045/auth/callback',
    }),
    admin('POST', '/api/accounts/oauth/complete', { state: 'unknown-state', code: '4/unknown-code' }),
    // Encrypted: an export in clear would put the account keys in the answer.
    admin('POST', '/api/accounts/export', { passphrase: 'fuzz passphrase' }),
    admin('POST', '/api/keys', {
      name: 'fuzz-added',
      owner: 'fuzz',
      expires_at: '2099-01-01T00:00:00Z',
      models: ['gpt-4o', 'claude-*'],
      account_group: 'team',
      limits: { requests_per_minute: 60, tokens_per_day: 100000, cost_per_month: 12.5 },
    }),
    admin('PATCH', `/api/keys/${context.keyId}`, {
      name: 'fuzz-renamed',
      owner: null,
      expires_at: 4102444800000,
      models: ['gpt-*'],
      account_id: context.accountId,
      limits: { tokens_per_minute: 5000, cost_per_day: 1.5 },
    }),
  ];
}
