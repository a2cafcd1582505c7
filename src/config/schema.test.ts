import { describe, expect, it } from 'vitest';
import { configSchema, defaultConfig, formatConfigIssues, formatConfigPath } from './schema.js';

function issuesOf(document: unknown): string {
  const result = configSchema.safeParse(document, { reportInput: true });
  if (result.success) throw new Error('expected the document to be invalid');
  return formatConfigIssues(result.error);
}

describe('store', () => {
  it('takes the postgres backend with a postgres:// or postgresql:// URL', () => {
    const config = configSchema.parse({
      store: { backend: 'postgres', postgres_url: 'postgresql://u:p@db:5432/switchyard' },
    });
    expect(config.store).toEqual({
      backend: 'postgres',
      postgres_url: 'postgresql://u:p@db:5432/switchyard',
    });
  });

  it('names the field for an unknown backend or a URL of another kind, without echoing it', () => {
    expect(issuesOf({ store: { backend: 'mysql' } })).toBe(
      'store.backend: expected one of "sqlite" | "postgres"',
    );
    const issues = issuesOf({ store: { postgres_url: 'mysql://u:secret@db/x' } });
    expect(issues).toBe('store.postgres_url: must be a postgres:// or postgresql:// URL');
  });
});

describe('state', () => {
  it('takes the redis backend with a redis:// or rediss:// URL and a key prefix', () => {
    const config = configSchema.parse({
      state: { backend: 'redis', redis_url: 'rediss://:p@cache:6380/2', key_prefix: 'team-a:' },
    });
    expect(config.state).toEqual({
      backend: 'redis',
      redis_url: 'rediss://:p@cache:6380/2',
      key_prefix: 'team-a:',
      command_timeout_ms: 250,
      binding_lease_ms: 1000,
    });
  });

  it('names the field for an unknown backend or a URL of another kind, without echoing it', () => {
    expect(issuesOf({ state: { backend: 'etcd' } })).toBe(
      'state.backend: expected one of "memory" | "redis"',
    );
    const issues = issuesOf({ state: { redis_url: 'http://u:secret@cache/x' } });
    expect(issues).toBe('state.redis_url: must be a redis:// or rediss:// URL');
  });
});

describe('configSchema defaults', () => {
  it('parses {} to the full default config', () => {
    const { proxy, ...rest } = configSchema.parse({});
    const { api_key, ...proxyWithoutKey } = proxy;
    expect(api_key).toMatch(/^sk-[0-9a-f]{32}$/);
    expect(rest).toEqual({
      auto_refresh: true,
      refresh_interval: 15,
      oauth: { refresh_skew_seconds: 90, clients: {} },
      code_assist: {
        base_urls: [
          'https://daily-cloudcode-pa.sandbox.googleapis.com/v1internal',
          'https://daily-cloudcode-pa.googleapis.com/v1internal',
          'https://cloudcode-pa.googleapis.com/v1internal',
        ],
        ide_type: 'ANTIGRAVITY',
        client_version: '4.3.0',
        user_agent: null,
      },
      store: { backend: 'sqlite', postgres_url: null },
      state: {
        backend: 'memory',
        redis_url: null,
        key_prefix: 'switchyard:',
        command_timeout_ms: 250,
        binding_lease_ms: 1000,
      },
      pricing: { models: {} },
    });
    expect(proxyWithoutKey).toEqual({
      port: 8045,
      allow_lan_access: false,
      host: null,
      allowed_hosts: [],
      auth_mode: 'auto',
      admin_password: null,
      request_timeout: 120,
      first_byte_timeout: 60,
      max_attempts: 3,
      max_body_bytes: 52_428_800,
      max_body_bytes_in_flight: 67_108_864,
      body_budget_wait_seconds: 2,
      headers_timeout: 30,
      body_timeout: 60,
      response_store_max_bytes: 67_108_864,
      scheduling: { mode: 'Balance', max_wait_seconds: 60 },
      session_bindings: { ttl_seconds: 3600, max_bindings: 100_000 },
      custom_mapping: {},
      model_aliases: { enabled: true, overrides: {} },
      background_tasks: {
        enabled: false,
        model: 'claude-haiku-4-5',
        detectors: ['title-generation', 'conversation-summary', 'prompt-suggestion'],
      },
      warmup: { intercept: true, schedule: { enabled: false, interval_minutes: 300, models: [] } },
      quota_protection: { enabled: false, threshold_percentage: 10, monitored_models: [] },
      circuit_breaker: { enabled: true, backoff_steps: [60, 300, 1800, 7200], max_lock_seconds: 86_400 },
      upstream_proxy: { enabled: false, url: '' },
      enable_logging: true,
      logging: {
        retention_days: 7,
        max_rows: 100_000,
        debug_bodies: false,
        max_body_chars: 16_384,
        usage_retention_days: 400,
      },
    });
  });

  it('reads several OAuth clients per provider in order, and refuses a client listed twice', () => {
    const clients = [{ client_id: 'a', name: 'first' }, { client_id: 'b' }];
    const config = configSchema.parse({ oauth: { clients: { 'code-assist': clients } } });
    expect(config.oauth.clients['code-assist']?.map((client) => [client.name, client.client_id])).toEqual([
      ['first', 'a'],
      [undefined, 'b'],
    ]);
    expect(issuesOf({ oauth: { clients: { gemini: [{ client_id: 'a' }, { client_id: 'a' }] } } })).toBe(
      'oauth.clients.gemini[1].client_id: listed twice: client_id must be unique',
    );
    expect(issuesOf({ oauth: { clients: { gemini: [] } } })).toBe(
      'oauth.clients.gemini: must have at least 1 element(s)',
    );
  });

  it('fills an OAuth client with Google endpoints and asks for no secret (one client: a list of one)', () => {
    const config = configSchema.parse({ oauth: { clients: { 'code-assist': { client_id: 'my-client' } } } });
    expect(config.oauth.clients['code-assist']?.[0]).toEqual({
      client_id: 'my-client',
      client_secret: null,
      token_url: 'https://oauth2.googleapis.com/token',
      auth_url: 'https://accounts.google.com/o/oauth2/v2/auth',
      userinfo_url: 'https://www.googleapis.com/oauth2/v2/userinfo',
      scopes: [
        'https://www.googleapis.com/auth/cloud-platform',
        'https://www.googleapis.com/auth/userinfo.email',
        'https://www.googleapis.com/auth/userinfo.profile',
        'openid',
      ],
    });
  });

  it('fills defaults inside a partially given section', () => {
    const config = configSchema.parse({ proxy: { scheduling: { mode: 'CacheFirst' } } });
    expect(config.proxy.scheduling).toEqual({ mode: 'CacheFirst', max_wait_seconds: 60 });
    expect(config.proxy.port).toBe(8045);
  });

  it('does not share default arrays between parses', () => {
    const first = defaultConfig();
    first.proxy.circuit_breaker.backoff_steps.push(1);
    first.proxy.quota_protection.monitored_models.push('x');
    const second = defaultConfig();
    expect(second.proxy.circuit_breaker.backoff_steps).toEqual([60, 300, 1800, 7200]);
    expect(second.proxy.quota_protection.monitored_models).toEqual([]);
  });

  it('keeps unknown keys at every level', () => {
    const config = configSchema.parse({
      future: { a: 1 },
      proxy: { extra: true, scheduling: { mode: 'Balance', hint: 'x' }, logging: { sink: 'file' } },
    });
    expect(config['future']).toEqual({ a: 1 });
    expect(config.proxy['extra']).toBe(true);
    expect(config.proxy.scheduling['hint']).toBe('x');
    expect(config.proxy.logging['sink']).toBe('file');
  });

  it('accepts a custom mapping and an explicit host', () => {
    const config = configSchema.parse({
      proxy: { host: '::1', custom_mapping: { 'gpt-4*': 'gemini-2.5-pro' }, admin_password: 'hunter2' },
    });
    expect(config.proxy.host).toBe('::1');
    expect(config.proxy.custom_mapping).toEqual({ 'gpt-4*': 'gemini-2.5-pro' });
    expect(config.proxy.admin_password).toBe('hunter2');
  });
});

describe('configSchema validation messages', () => {
  const cases: Array<{ name: string; document: unknown; expected: string }> = [
    {
      name: 'bad enum',
      document: { proxy: { scheduling: { mode: 'Fastest' } } },
      expected: 'proxy.scheduling.mode: expected one of "CacheFirst" | "Balance" | "PerformanceFirst"',
    },
    {
      name: 'port above range',
      document: { proxy: { port: 70_000 } },
      expected: 'proxy.port: must be <= 65535',
    },
    { name: 'port below range', document: { proxy: { port: 0 } }, expected: 'proxy.port: must be >= 1' },
    {
      name: 'wrong type',
      document: { proxy: { port: '8045' } },
      expected: 'proxy.port: expected number, received string',
    },
    {
      name: 'fraction for an integer',
      document: { refresh_interval: 1.5 },
      expected: 'refresh_interval: expected integer, received a fraction',
    },
    {
      name: 'short api key',
      document: { proxy: { api_key: 'short' } },
      expected: 'proxy.api_key: must be at least 8 characters long',
    },
    {
      name: 'bad array element',
      document: { proxy: { circuit_breaker: { backoff_steps: [60, 0] } } },
      expected: 'proxy.circuit_breaker.backoff_steps[1]: must be >= 1',
    },
    {
      name: 'empty backoff steps',
      document: { proxy: { circuit_breaker: { backoff_steps: [] } } },
      expected: 'proxy.circuit_breaker.backoff_steps: must have at least 1 element(s)',
    },
    {
      name: 'empty mapping target, key quoted',
      document: { proxy: { custom_mapping: { 'gpt-4.1': '' } } },
      expected: 'proxy.custom_mapping["gpt-4.1"]: must be at least 1 characters long',
    },
    {
      name: 'section of the wrong type',
      document: { proxy: { scheduling: 'Balance' } },
      expected: 'proxy.scheduling: expected object, received string',
    },
    { name: 'root not an object', document: [], expected: '(root): expected object, received array' },
    {
      name: 'null where not nullable',
      document: { proxy: { allow_lan_access: null } },
      expected: 'proxy.allow_lan_access: expected boolean, received null',
    },
    {
      name: 'enabled upstream proxy without a URL',
      document: { proxy: { upstream_proxy: { enabled: true, url: '' } } },
      expected:
        'proxy.upstream_proxy.url: must be an http://, https://, socks5://, socks5h:// or socks:// (SOCKS5) URL when upstream_proxy.enabled is true',
    },
    {
      name: 'enabled upstream proxy with an unsupported scheme',
      document: { proxy: { upstream_proxy: { enabled: true, url: 'ftp://proxy:21' } } },
      expected:
        'proxy.upstream_proxy.url: must be an http://, https://, socks5://, socks5h:// or socks:// (SOCKS5) URL when upstream_proxy.enabled is true',
    },
  ];

  for (const testCase of cases) {
    it(`reports ${testCase.name} with its exact path`, () => {
      expect(issuesOf(testCase.document)).toBe(testCase.expected);
    });
  }

  it('reports one line per problem', () => {
    const text = issuesOf({ refresh_interval: 0, proxy: { max_attempts: 11, auth_mode: 'none' } });
    expect(text.split('\n').sort()).toEqual([
      'proxy.auth_mode: expected one of "off" | "strict" | "all_except_health" | "auto"',
      'proxy.max_attempts: must be <= 10',
      'refresh_interval: must be >= 1',
    ]);
  });

  it('never echoes the rejected value', () => {
    expect(issuesOf({ proxy: { api_key: 'secret' } })).not.toContain('secret');
  });

  it.each(['socks4', 'socks4a'])(
    'refuses %s:// (no SOCKS4 client in undici), naming what works',
    (scheme) => {
      expect(
        issuesOf({ proxy: { upstream_proxy: { enabled: true, url: `${scheme}://user:pw@h:1080` } } }),
      ).toBe(
        `proxy.upstream_proxy.url: ${scheme}:// is not supported (undici has no SOCKS4 client): use http://, https://, socks5://, socks5h:// or socks:// (SOCKS5)`,
      );
    },
  );

  it.each([
    'http://proxy.local:3128',
    'https://user:pass@proxy:443',
    'socks5://127.0.0.1:1080',
    'socks5h://h:1',
    'socks://h:1080',
  ])('accepts %s as an upstream proxy URL', (url) => {
    expect(configSchema.safeParse({ proxy: { upstream_proxy: { enabled: true, url } } }).success).toBe(true);
  });

  it('ignores the upstream proxy URL while the proxy is disabled', () => {
    expect(
      configSchema.safeParse({ proxy: { upstream_proxy: { enabled: false, url: 'nonsense' } } }).success,
    ).toBe(true);
  });
});

describe('formatConfigPath', () => {
  it.each([
    [[], '(root)'],
    [['proxy', 'port'], 'proxy.port'],
    [['proxy', 'circuit_breaker', 'backoff_steps', 2], 'proxy.circuit_breaker.backoff_steps[2]'],
    [['proxy', 'custom_mapping', 'claude-*'], 'proxy.custom_mapping["claude-*"]'],
  ])('formats %j as %s', (path, expected) => {
    expect(formatConfigPath(path)).toBe(expected);
  });
});
