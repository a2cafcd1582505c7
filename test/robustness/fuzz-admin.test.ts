/**
 * Robustness of every admin route: broken bodies of every kind (`fuzz-kinds.ts`) against the routes
 * that take a body, and odd ids and query strings against the others. Every answer must keep the
 * rules of `fuzz-rig.ts` — in particular a refused write changes neither the accounts table nor
 * `gui_config.json` — and afterwards the admin API still works. A case that succeeded (a broken body
 * can still be valid) is undone before the next one. Seed and runs: `test/support/fuzz-settings.ts`.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsonValue } from '../../src/core/json.js';
import { describeFuzzRun, fuzzSettings, propertyParameters } from '../support/fuzz-settings.js';
import { pick } from '../support/http-call.js';
import { ODD_STRINGS } from '../support/mutation-arbitraries.js';
import { FUZZ_KINDS, fuzzKind } from './fuzz-kinds.js';
import { FUZZ_SECRETS, type FuzzRig, sendAndJudge, startFuzzRig } from './fuzz-rig.js';
import { adminRoutes, type FuzzRoute } from './fuzz-routes.js';

const settings = fuzzSettings();
const TIMEOUT_MS = 120_000 + (settings.runs ?? 0) * 400;

let rig: FuzzRig;
let routes: FuzzRoute[];
let baseline: {
  accountIds: Set<string>;
  account: JsonValue;
  keyId: string;
  key: JsonValue;
  config: JsonValue;
};

beforeAll(async () => {
  console.info(describeFuzzRun(settings, 'admin routes'));
  rig = await startFuzzRig();
  const key = { name: 'fuzz-key', owner: null, expires_at: null, models: [], account_id: null, limits: {} };
  const issued = await rig.gateway.call('POST', '/api/keys', { body: key });
  const keyId = String(pick(issued.json, 'key', 'id'));
  routes = adminRoutes({ accountId: rig.accountId, keyId });
  baseline = {
    accountIds: new Set(Object.values(rig.gateway.accountIds)),
    account: {
      email: 'openai@fuzz.test',
      api_key: FUZZ_SECRETS['OpenAI account key'],
      base_url: `${rig.upstream.url}/v1`,
      models: ['gpt-*'],
      label: null,
      tier: null,
      disabled: false,
      disabled_reason: null,
      proxy_disabled: false,
      proxy_disabled_reason: null,
    },
    keyId,
    key: { ...key, account_group: null },
    config: routes.find((route) => route.path === '/api/config')?.samples[0] ?? {},
  };
});
afterAll(async () => {
  await rig?.close();
});

/**
 * Undoes what a successful case did: extra accounts, the patched account, added keys (revoked, so
 * their names are free again), the patched key, config, fixed account.
 */
async function restore(): Promise<void> {
  const { gateway } = rig;
  const listed = pick((await gateway.call('GET', '/api/accounts')).json, 'accounts') as Array<{ id: string }>;
  for (const account of listed) {
    if (!baseline.accountIds.has(account.id)) await gateway.call('DELETE', `/api/accounts/${account.id}`);
  }
  await gateway.call('PATCH', `/api/accounts/${rig.accountId}`, { body: baseline.account });
  const keys = pick((await gateway.call('GET', '/api/keys')).json, 'keys') as Array<{
    id: string;
    status: string;
  }>;
  for (const key of keys) {
    if (key.id !== baseline.keyId && key.status === 'active')
      await gateway.call('POST', `/api/keys/${key.id}/revoke`);
  }
  await gateway.call('PATCH', `/api/keys/${baseline.keyId}`, { body: baseline.key });
  await gateway.call('PUT', '/api/config', { body: baseline.config });
  await gateway.call('PUT', '/api/proxy/scheduling', { body: { mode: 'Balance', max_wait_seconds: 60 } });
  await gateway.call('PUT', '/api/proxy/fixed-account', { body: { account_id: null } });
}

describe('the samples', () => {
  // The sign-in completion names a state that was never started: refusing it is its success path.
  const REFUSED_BY_DESIGN = new Set(['POST /api/accounts/oauth/complete']);

  it('are accepted unchanged, so the broken bodies derived from them reach past the validation', async () => {
    const refused: string[] = [];
    for (const route of routes.filter((entry) => !REFUSED_BY_DESIGN.has(entry.name))) {
      const answer = await rig.gateway.call(route.method, route.path, { body: route.samples[0] });
      if (answer.status >= 400) refused.push(`${route.name}: ${answer.status} ${answer.text.slice(0, 200)}`);
      await restore();
    }
    expect(refused).toEqual([]);
  });
});

describe.each([
  'POST /api/accounts',
  'PATCH /api/accounts/:id',
  'POST /api/accounts/import',
  'PUT /api/config',
  'PUT /api/proxy/scheduling',
  'PUT /api/proxy/fixed-account',
  'POST /api/proxy/mapping/test',
  'POST /api/accounts/oauth/start',
  'POST /api/accounts/oauth/complete',
  'POST /api/accounts/export',
  'POST /api/keys',
  'PATCH /api/keys/:id',
])('%s', (name) => {
  it.each(FUZZ_KINDS)(
    '$kind bodies get a well-formed answer, and a refused write changes nothing',
    async (kind) => {
      const route = routes.find((entry) => entry.name === name);
      if (!route) throw new Error(`no admin route named ${name}`);
      await fuzzKind({ rig, route, kind, settings, restore });
    },
    TIMEOUT_MS,
  );
});

describe('admin routes without a body', () => {
  const TEMPLATES: Array<{ method: 'GET' | 'DELETE' | 'POST'; path: (odd: string) => string }> = [
    { method: 'GET', path: (odd) => `/api/accounts/${odd}` },
    { method: 'DELETE', path: (odd) => `/api/accounts/${odd}` },
    { method: 'POST', path: (odd) => `/api/accounts/${odd}/refresh-quota` },
    { method: 'GET', path: (odd) => `/api/accounts/oauth/${odd}` },
    { method: 'DELETE', path: (odd) => `/api/proxy/rate-limits/${odd}` },
    { method: 'GET', path: (odd) => `/api/logs/${odd}` },
    { method: 'GET', path: (odd) => `/api/logs?status=${odd}&model=${odd}&q=${odd}` },
    { method: 'GET', path: (odd) => `/api/logs?before=${odd}&limit=${odd}` },
    { method: 'GET', path: (odd) => `/api/logs?account=${odd}&protocol=${odd}` },
    { method: 'GET', path: (odd) => `/api/keys/${odd}` },
    { method: 'POST', path: (odd) => `/api/keys/${odd}/rotate` },
    { method: 'POST', path: (odd) => `/api/keys/${odd}/revoke` },
    { method: 'GET', path: (odd) => `/api/usage?by=${odd}&since=${odd}&bucket=${odd}` },
    { method: 'GET', path: (odd) => `/api/usage?since=${odd}&key=${odd}&account=${odd}&model=${odd}` },
    { method: 'GET', path: (odd) => `/api/usage?since=${odd}&bucket=hour` },
  ];
  const RAW = ['%25', '%', '%zz', '..%2F..%2Fconfig', '%00', '-1', '1e308', '99999999999999999999'];

  it(
    'odd ids and query values get a well-formed admin answer and change nothing',
    async () => {
      const route: FuzzRoute = { name: 'admin', method: 'POST', path: '', dialect: 'admin', samples: [] };
      const odd = fc.oneof(
        fc.constantFrom(...RAW),
        ODD_STRINGS.map((text) => encodeURIComponent(text)),
      );
      await fc.assert(
        fc.asyncProperty(fc.tuple(fc.nat({ max: TEMPLATES.length - 1 }), odd), async ([index, text]) => {
          const template = TEMPLATES[index]!;
          const { problems } = await sendAndJudge({
            rig,
            route: { ...route, method: template.method },
            sample: null,
            mutation: { kind: 'content-type', contentType: null },
            path: template.path(text),
            bodyless: true,
          });
          if (problems.length > 0) throw new Error(problems.join('\n'));
        }),
        propertyParameters({
          settings,
          name: 'admin ids and queries',
          defaultRuns: 60,
          examples: TEMPLATES.map((_, index): [number, string] => [index, 'no-such-id']),
        }),
      );
    },
    TIMEOUT_MS,
  );
});

describe('afterwards', () => {
  it('the admin API still reads and writes', async () => {
    expect((await rig.gateway.call('GET', '/api/health')).status).toBe(200);
    const added = await rig.gateway.call('POST', '/api/accounts', {
      body: { provider: 'anthropic', email: 'after@fuzz.test', api_key: 'sk-ant-after-fuzz' },
    });
    expect(added.status).toBe(201);
    const listed = await rig.gateway.call('GET', '/api/accounts');
    expect(JSON.stringify(listed.json)).toContain('after@fuzz.test');
    expect(Object.keys(Object.prototype)).toEqual([]);
  });
});
