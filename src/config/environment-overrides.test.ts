import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { configVariables, variableName } from './config-variables.js';
import { type EnvironmentReading, readEnvironmentOverrides } from './environment-overrides.js';
import { configSchema } from './schema.js';

function settingsOf(reading: EnvironmentReading): Record<string, unknown> {
  if (!reading.ok) throw new Error(`unexpected problems:\n${reading.problems.join('\n')}`);
  return Object.fromEntries(reading.overrides.map((setting) => [setting.path.join('.'), setting.value]));
}

function problemsOf(reading: EnvironmentReading): string[] {
  if (reading.ok) throw new Error('expected problems, the environment was accepted');
  return reading.problems;
}

describe('configVariables (derived from the schema)', () => {
  const variables = configVariables();
  const byPath = new Map(variables.map((variable) => [variable.path.join('.'), variable]));

  it('names each setting SWITCHYARD_ + its path, upper-cased, keys joined by __', () => {
    expect(byPath.get('proxy.auth_mode')?.name).toBe('SWITCHYARD_PROXY__AUTH_MODE');
    expect(byPath.get('proxy.scheduling.mode')?.name).toBe('SWITCHYARD_PROXY__SCHEDULING__MODE');
    expect(byPath.get('refresh_interval')?.name).toBe('SWITCHYARD_REFRESH_INTERVAL');
    expect(byPath.get('code_assist.base_urls')?.name).toBe('SWITCHYARD_CODE_ASSIST__BASE_URLS');
  });

  it('gives every leaf of the default config a variable, and nothing else', () => {
    const leaves: string[] = [];
    const collect = (value: unknown, path: string[]) => {
      if (typeof value === 'object' && value !== null && !Array.isArray(value) && path.length > 0) {
        // Records (custom_mapping, oauth.clients) are one value; sections are walked into.
        if (byPath.has(path.join('.'))) return leaves.push(path.join('.'));
      }
      if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
        for (const [key, child] of Object.entries(value)) collect(child, [...path, key]);
        return;
      }
      leaves.push(path.join('.'));
    };
    collect(configSchema.parse({}), []);
    expect(variables.map((variable) => variable.path.join('.')).sort()).toEqual(leaves.sort());
  });

  it('gives unique names that are valid environment variable names', () => {
    const names = variables.map((variable) => variable.name);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/^SWITCHYARD_[A-Z0-9]+(_{1,2}[A-Z0-9]+)*$/);
  });

  it('reads each type from the schema: booleans, bounded integers, enums, text, nullable, JSON', () => {
    expect(byPath.get('proxy.allow_lan_access')).toMatchObject({
      kind: { type: 'boolean' },
      nullable: false,
    });
    expect(byPath.get('proxy.port')?.kind).toEqual({ type: 'number', integer: true, min: 1, max: 65_535 });
    expect(byPath.get('proxy.max_body_bytes')?.kind).toEqual({
      type: 'number',
      integer: true,
      min: 1024,
      max: null,
    });
    expect(byPath.get('proxy.auth_mode')?.kind).toEqual({
      type: 'enum',
      values: ['off', 'strict', 'all_except_health', 'auto'],
    });
    expect(byPath.get('proxy.host')).toMatchObject({ kind: { type: 'string' }, nullable: true });
    expect(byPath.get('proxy.circuit_breaker.backoff_steps')?.kind).toEqual({
      type: 'json',
      shape: 'array',
      of: 'integers',
    });
    expect(byPath.get('proxy.custom_mapping')?.kind).toEqual({
      type: 'json',
      shape: 'object',
      of: 'strings or arrays',
    });
    expect(byPath.get('oauth.clients')?.kind).toEqual({ type: 'json', shape: 'object', of: 'objects' });
  });

  it('covers a setting added to a schema without further code', () => {
    const schema = z.looseObject({
      state: z
        .looseObject({
          backend: z.enum(['memory', 'redis']).default('memory'),
          redis_url: z.string().nullable().default(null),
        })
        .prefault({}),
    });
    expect(configVariables(schema)).toEqual([
      {
        name: 'SWITCHYARD_STATE__BACKEND',
        path: ['state', 'backend'],
        kind: { type: 'enum', values: ['memory', 'redis'] },
        nullable: false,
      },
      {
        name: 'SWITCHYARD_STATE__REDIS_URL',
        path: ['state', 'redis_url'],
        kind: { type: 'string' },
        nullable: true,
      },
    ]);
    expect(variableName(['state', 'redis_url'])).toBe('SWITCHYARD_STATE__REDIS_URL');
  });
});

describe('readEnvironmentOverrides: values by type', () => {
  it('reads booleans as true/false/1/0 in any letter case', () => {
    const settings = settingsOf(
      readEnvironmentOverrides({
        SWITCHYARD_PROXY__ALLOW_LAN_ACCESS: 'TRUE',
        SWITCHYARD_PROXY__ENABLE_LOGGING: '0',
        SWITCHYARD_AUTO_REFRESH: 'false',
        SWITCHYARD_PROXY__QUOTA_PROTECTION__ENABLED: '1',
      }),
    );
    expect(settings).toEqual({
      'proxy.allow_lan_access': true,
      'proxy.enable_logging': false,
      auto_refresh: false,
      'proxy.quota_protection.enabled': true,
    });
  });

  it('reads integers, enums (any case, stored as the schema spells them), text as given, and null', () => {
    const settings = settingsOf(
      readEnvironmentOverrides({
        SWITCHYARD_PROXY__PORT: ' 9000 ',
        SWITCHYARD_PROXY__SCHEDULING__MODE: 'cachefirst',
        SWITCHYARD_PROXY__AUTH_MODE: 'strict',
        SWITCHYARD_PROXY__ADMIN_PASSWORD: ' pass word ',
        SWITCHYARD_PROXY__HOST: 'null',
      }),
    );
    expect(settings).toEqual({
      'proxy.port': 9000,
      'proxy.scheduling.mode': 'CacheFirst',
      'proxy.auth_mode': 'strict',
      'proxy.admin_password': ' pass word ',
      'proxy.host': null,
    });
  });

  it('reads arrays and records as JSON', () => {
    const settings = settingsOf(
      readEnvironmentOverrides({
        SWITCHYARD_PROXY__CUSTOM_MAPPING: '{"gpt-4*": "claude-sonnet-4-6"}',
        SWITCHYARD_PROXY__CIRCUIT_BREAKER__BACKOFF_STEPS: '[30, 600]',
        SWITCHYARD_OAUTH__CLIENTS: '{"code-assist": {"client_id": "id-1", "client_secret": "s3cret"}}',
      }),
    );
    expect(settings).toEqual({
      'proxy.custom_mapping': { 'gpt-4*': 'claude-sonnet-4-6' },
      'proxy.circuit_breaker.backoff_steps': [30, 600],
      'oauth.clients': { 'code-assist': { client_id: 'id-1', client_secret: 's3cret' } },
    });
  });

  it('treats empty and blank variables as not set', () => {
    const reading = readEnvironmentOverrides({
      SWITCHYARD_PROXY__PORT: '',
      SWITCHYARD_PROXY__AUTH_MODE: '  ',
    });
    expect(reading).toEqual({ ok: true, overrides: [], ignored: [] });
  });

  it('returns SWITCHYARD_* names without __ that are no setting as ignored, and skips other variables', () => {
    const reading = readEnvironmentOverrides({
      SWITCHYARD_HOME: '/data',
      SWITCHYARD_API_KEY: 'sk-client-side',
      PATH: '/usr/bin',
      switchyard_proxy__port: 'lower case is not ours',
    });
    expect(reading).toEqual({ ok: true, overrides: [], ignored: ['SWITCHYARD_API_KEY', 'SWITCHYARD_HOME'] });
  });
});

describe('readEnvironmentOverrides: problems', () => {
  it('names the variable, the setting, what was expected and what was given', () => {
    const problems = problemsOf(
      readEnvironmentOverrides({
        SWITCHYARD_PROXY__PORT: 'eighty',
        SWITCHYARD_PROXY__ALLOW_LAN_ACCESS: 'yes',
        SWITCHYARD_PROXY__AUTH_MODE: 'none',
        SWITCHYARD_PROXY__MAX_ATTEMPTS: '2.5',
      }),
    );
    expect(problems).toEqual([
      'SWITCHYARD_PROXY__ALLOW_LAN_ACCESS (proxy.allow_lan_access): expected true or false (or 1 or 0), got "yes"',
      'SWITCHYARD_PROXY__AUTH_MODE (proxy.auth_mode): expected one of off, strict, all_except_health, auto, got "none"',
      'SWITCHYARD_PROXY__MAX_ATTEMPTS (proxy.max_attempts): expected an integer from 1 to 10, got "2.5"',
      'SWITCHYARD_PROXY__PORT (proxy.port): expected an integer from 1 to 65535, got "eighty"',
    ]);
  });

  it('refuses a number out of the schema range', () => {
    expect(problemsOf(readEnvironmentOverrides({ SWITCHYARD_PROXY__PORT: '70000' }))).toEqual([
      'SWITCHYARD_PROXY__PORT (proxy.port): expected an integer from 1 to 65535, got "70000"',
    ]);
  });

  it('refuses null for a setting that does not accept it', () => {
    expect(problemsOf(readEnvironmentOverrides({ SWITCHYARD_PROXY__PORT: 'null' }))).toEqual([
      'SWITCHYARD_PROXY__PORT (proxy.port): expected an integer from 1 to 65535, got "null"',
    ]);
  });

  it('never echoes text or JSON values (they may be secrets), only their size or JSON type', () => {
    const secret = 'GOCSPX-very-secret-value';
    const truncated = `{"code-assist": {"client_secret": "${secret}"`;
    const problems = problemsOf(
      readEnvironmentOverrides({
        SWITCHYARD_OAUTH__CLIENTS: truncated,
        SWITCHYARD_PROXY__CUSTOM_MAPPING: `["${secret}"]`,
      }),
    );
    expect(problems).toEqual([
      `SWITCHYARD_OAUTH__CLIENTS (oauth.clients): expected a JSON object of objects, got text that is not JSON (${truncated.length} characters, not shown)`,
      'SWITCHYARD_PROXY__CUSTOM_MAPPING (proxy.custom_mapping): expected a JSON object of strings or arrays, got a JSON array',
    ]);
    expect(problems.join('\n')).not.toContain(secret);
  });

  it('does not echo a long value given to a typed setting', () => {
    const pasted = 'sk-0123456789abcdef0123456789abcdef';
    const problems = problemsOf(readEnvironmentOverrides({ SWITCHYARD_PROXY__PORT: pasted }));
    expect(problems).toEqual([
      'SWITCHYARD_PROXY__PORT (proxy.port): expected an integer from 1 to 65535, got 35 characters (not shown)',
    ]);
  });

  it('checks values against the schema (lengths, items, required fields), naming the variable and the exact path', () => {
    const problems = problemsOf(
      readEnvironmentOverrides({
        SWITCHYARD_PROXY__API_KEY: 'short',
        SWITCHYARD_PROXY__CIRCUIT_BREAKER__BACKOFF_STEPS: '[60, 0]',
        SWITCHYARD_OAUTH__CLIENTS: '{"gemini": {}}',
      }),
    );
    expect(problems).toEqual([
      'SWITCHYARD_PROXY__API_KEY (proxy.api_key): must be at least 8 characters long',
      'SWITCHYARD_PROXY__CIRCUIT_BREAKER__BACKOFF_STEPS (proxy.circuit_breaker.backoff_steps[1]): must be >= 1',
      'SWITCHYARD_OAUTH__CLIENTS (oauth.clients.gemini[0].client_id): expected string',
    ]);
    expect(problems.join('\n')).not.toContain('short');
  });

  it('refuses a misspelt setting name with __, suggesting the closest one', () => {
    expect(problemsOf(readEnvironmentOverrides({ SWITCHYARD_PROXY__AUTHMODE: 'strict' }))).toEqual([
      'SWITCHYARD_PROXY__AUTHMODE: no such setting (a variable is SWITCHYARD_ + the gui_config.json path, ' +
        'upper-cased, with __ between keys; did you mean SWITCHYARD_PROXY__AUTH_MODE?)',
    ]);
    expect(problemsOf(readEnvironmentOverrides({ SWITCHYARD_NOTHING__LIKE_THIS: '1' }))).toEqual([
      'SWITCHYARD_NOTHING__LIKE_THIS: no such setting (a variable is SWITCHYARD_ + the gui_config.json path, ' +
        'upper-cased, with __ between keys)',
    ]);
  });

  it('refuses a group of settings, listing its settings', () => {
    expect(
      problemsOf(readEnvironmentOverrides({ SWITCHYARD_PROXY__SCHEDULING: '{"mode": "CacheFirst"}' })),
    ).toEqual([
      'SWITCHYARD_PROXY__SCHEDULING: is a group of settings, not one; set each setting on its own ' +
        '(SWITCHYARD_PROXY__SCHEDULING__MODE, SWITCHYARD_PROXY__SCHEDULING__MAX_WAIT_SECONDS)',
    ]);
    expect(problemsOf(readEnvironmentOverrides({ SWITCHYARD_OAUTH: '{}' }))[0]).toMatch(
      /^SWITCHYARD_OAUTH: is a group of settings, not one; set each setting on its own \(SWITCHYARD_OAUTH__REFRESH_SKEW_SECONDS, SWITCHYARD_OAUTH__CLIENTS\)$/,
    );
  });

  it('reports every problem at once', () => {
    const problems = problemsOf(
      readEnvironmentOverrides({ SWITCHYARD_PROXY__PORT: 'x', SWITCHYARD_PROXY__HOST_NAME: 'y' }),
    );
    expect(problems).toHaveLength(2);
  });
});
