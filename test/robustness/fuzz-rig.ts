/**
 * The fuzz rig: a real gateway listening on 127.0.0.1 with one account per upstream protocol on the
 * mock upstream, secrets everywhere a secret can be (proxy API key, admin password, account keys,
 * an OAuth client secret), logs captured, and the judge of every answer.
 *
 * The rules every answer to a broken body must keep:
 * - never a 500 (an internal error); any other error is well-formed in the route's protocol
 *   (`protocol-answers.ts`), a success is well-formed too (JSON, or a stream that ends properly);
 * - never a stack trace, never a secret (the proxy API key may appear only in the admin config the
 *   UI shows it from);
 * - nothing written on failure: a refused admin write leaves the accounts table and
 *   `gui_config.json` as they were; a request the gateway refuses itself costs no upstream call;
 * - no log line carries a secret, and no request pollutes `Object.prototype`.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { systemClock } from '../../src/core/clock.js';
import type { JsonValue } from '../../src/core/json.js';
import { type Mutation, materialize } from '../support/body-mutations.js';
import { type FuzzSettings, propertyParameters } from '../support/fuzz-settings.js';
import { type GatewayHarness, startGateway } from '../support/gateway-harness.js';
import { type HttpExchange, pick, rawCall } from '../support/http-call.js';
import { type CapturedLogs, captureLogs } from '../support/log-capture.js';
import { type MockUpstream, startMockUpstream } from '../support/mock-upstream.js';
import {
  errorShapeProblem,
  secretProblem,
  stackTraceProblem,
  streamEndProblem,
} from '../support/protocol-answers.js';
import type { FuzzRoute } from './fuzz-routes.js';

/** The body limit of the fuzz gateway: huge bodies stay under it, oversized ones go over. */
export const FUZZ_BODY_LIMIT = 1_000_000;

/**
 * Longest wait for one answer. Far above what any case needs (milliseconds, seconds for the largest
 * bodies on a busy machine); a case that reaches it hangs, or makes the gateway do work that grows
 * faster than its input (a 200 000-character word once took the token estimate over a minute).
 */
const ANSWER_DEADLINE_MS = 30_000;

/** Every secret the fuzz gateway holds, by what it is. */
export const FUZZ_SECRETS = {
  'proxy API key': 'sk-fuzz-proxy-key-5f0c2a9e',
  'admin password': 'fuzz-admin-password-7d41',
  'OpenAI account key': 'sk-fuzz-openai-account-key-19ab',
  'Anthropic account key': 'sk-ant-fuzz-account-key-2c8d',
  'Gemini account key': 'AIza-fuzz-account-key-3e7f',
  'OAuth client secret': 'GOCSPX-fuzz-client-secret-4a6b',
} as const;

export interface FuzzRig {
  gateway: GatewayHarness;
  upstream: MockUpstream;
  logs: CapturedLogs;
  /** The id of the OpenAI account (admin samples patch and pin it). */
  accountId: string;
  close(): Promise<void>;
}

/** Starts the mock upstream and a gateway with one account per protocol, all secrets set. */
export async function startFuzzRig(): Promise<FuzzRig> {
  const upstream = await startMockUpstream();
  const logs = captureLogs({ level: 'info' });
  const gateway = await startGateway({
    logger: logs.logger,
    config: {
      proxy: {
        auth_mode: 'strict',
        api_key: FUZZ_SECRETS['proxy API key'],
        admin_password: FUZZ_SECRETS['admin password'],
        max_body_bytes: FUZZ_BODY_LIMIT,
        request_timeout: 5,
        first_byte_timeout: 5,
        // Broken bodies that reach the mock may fail there: keep every account in the pool anyway.
        circuit_breaker: { enabled: false },
      },
      oauth: {
        clients: {
          'code-assist': { client_id: 'fuzz-client', client_secret: FUZZ_SECRETS['OAuth client secret'] },
        },
      },
      auto_refresh: false,
    },
    accounts: [
      {
        provider: 'openai',
        email: 'openai@fuzz.test',
        api_key: FUZZ_SECRETS['OpenAI account key'],
        base_url: `${upstream.url}/v1`,
        models: ['gpt-*'],
      },
      {
        provider: 'anthropic',
        email: 'anthropic@fuzz.test',
        api_key: FUZZ_SECRETS['Anthropic account key'],
        base_url: upstream.url,
        models: ['claude-*'],
      },
      {
        provider: 'gemini',
        email: 'gemini@fuzz.test',
        api_key: FUZZ_SECRETS['Gemini account key'],
        base_url: upstream.url,
        models: ['gemini-*'],
      },
    ],
  });
  return {
    gateway,
    upstream,
    logs,
    accountId: gateway.accountIds['openai@fuzz.test'] ?? '',
    async close() {
      await gateway.close();
      await upstream.close();
    },
  };
}

function credentialHeaders(route: FuzzRoute): Record<string, string> {
  if (route.dialect === 'admin') return { authorization: `Bearer ${FUZZ_SECRETS['admin password']}` };
  if (route.dialect === 'gemini') return { 'x-goog-api-key': FUZZ_SECRETS['proxy API key'] };
  if (route.dialect === 'anthropic')
    return { 'x-api-key': FUZZ_SECRETS['proxy API key'], 'anthropic-version': '2023-06-01' };
  return { authorization: `Bearer ${FUZZ_SECRETS['proxy API key']}` };
}

/**
 * Everything an admin write could change: the accounts and client-keys tables as stored, the
 * config file, and the runtime scheduling state (fixed account, locks).
 */
async function adminState(rig: FuzzRig): Promise<string> {
  const rows = await rig.gateway.runtime.stores.database.db
    .selectFrom('accounts')
    .selectAll()
    .orderBy('id')
    .execute();
  const keys = await rig.gateway.runtime.stores.database.db
    .selectFrom('client_keys')
    .selectAll()
    .orderBy('id')
    .execute();
  const file = await readFile(join(rig.gateway.dataDir, 'gui_config.json'), 'utf8');
  const { scheduler, limits } = rig.gateway.runtime.services;
  const runtime = { fixed: await scheduler.getFixedAccount(), locks: await limits.listLocks() };
  return JSON.stringify({ rows, keys, file, runtime });
}

/** Problems with the answer itself: status, shape, stack traces, secrets. */
export function answerProblems(route: FuzzRoute, answer: HttpExchange): string[] {
  const problems: string[] = [];
  const contentType = String(answer.headers['content-type'] ?? '');
  if (answer.status === 500) problems.push(`an internal error (500): ${answer.text.slice(0, 300)}`);
  if (answer.status >= 400) {
    const shape = errorShapeProblem(route.dialect, answer.json);
    if (shape) problems.push(`${answer.status}: ${shape}: ${answer.text.slice(0, 300)}`);
  } else if (route.stream && contentType.includes('text/event-stream')) {
    const end = streamEndProblem(route.stream, answer.text);
    if (end) problems.push(end);
  } else if (answer.text.length > 0 && answer.json === undefined) {
    problems.push(`a ${answer.status} answer that is not JSON: ${answer.text.slice(0, 300)}`);
  }
  const shown = `${answer.text}\n${JSON.stringify(answer.headers)}`;
  const stack = stackTraceProblem(shown);
  if (stack) problems.push(stack);
  // The admin config is where the UI reads the proxy API key from, to show and copy it.
  const configAnswer = route.path === '/api/config' && answer.status < 400;
  const { 'proxy API key': apiKey, ...others } = FUZZ_SECRETS;
  const secret = secretProblem(shown, configAnswer ? others : { ...others, 'proxy API key': apiKey });
  if (secret) problems.push(secret);
  return problems;
}

function logProblems(rig: FuzzRig): string[] {
  const problems = rig.logs.lines.flatMap((line) => {
    const found = secretProblem(JSON.stringify(line), FUZZ_SECRETS);
    return found
      ? [`log line "${String(line['msg'])}": ${found.replace('in the answer', 'in the log')}`]
      : [];
  });
  rig.logs.clear();
  return problems;
}

function prototypeProblems(): string[] {
  const polluted = Object.keys(Object.prototype);
  return polluted.length > 0 ? [`Object.prototype gained ${polluted.join(', ')}`] : [];
}

/** An error the gateway decided itself (not an upstream answer relayed or translated). */
function refusedByGateway(answer: HttpExchange): boolean {
  if (answer.status < 400 || answer.status >= 500 || answer.headers['x-account-email'] !== undefined)
    return false;
  const message = String(pick(answer.json, 'error', 'message') ?? '');
  return !message.startsWith('Upstream rejected');
}

/** Sends one mutation of `sample` to `route`: the answer's status and every rule it broke. */
export async function sendAndJudge(options: {
  rig: FuzzRig;
  route: FuzzRoute;
  sample: JsonValue;
  mutation: Mutation;
  /** Another path than the route's (odd ids, model names). */
  path?: string;
  /** Send no body at all (GET and DELETE routes). */
  bodyless?: boolean;
}): Promise<{ status: number; problems: string[] }> {
  const { rig, route, sample, mutation } = options;
  const body = options.bodyless
    ? { body: undefined, contentType: null, chunked: false }
    : materialize(sample, mutation, FUZZ_BODY_LIMIT);
  const admin = route.dialect === 'admin';
  const before = admin ? await adminState(rig) : '';
  const upstreamCalls = rig.upstream.requests.length;
  const deadline = new AbortController();
  const cancel = systemClock.after(ANSWER_DEADLINE_MS, () => deadline.abort());
  let answer: HttpExchange;
  try {
    answer = await rawCall(`${rig.gateway.url}${options.path ?? route.path}`, {
      method: route.method,
      ...body,
      headers: credentialHeaders(route),
      signal: deadline.signal,
    });
  } catch (error) {
    const what = deadline.signal.aborted
      ? `no answer within ${ANSWER_DEADLINE_MS / 1000} s`
      : (error as Error).message;
    return { status: 0, problems: [`${what} (a hang, or work that grows too fast with the input)`] };
  } finally {
    cancel();
  }
  const problems = [...answerProblems(route, answer), ...logProblems(rig), ...prototypeProblems()];
  if (admin && answer.status >= 400 && (await adminState(rig)) !== before)
    problems.push(`a refused ${route.name} (${answer.status}) still changed the stored state`);
  const calls = rig.upstream.requests.length - upstreamCalls;
  if (!admin && refusedByGateway(answer) && calls > 0)
    problems.push(
      `refused with ${answer.status} after ${calls} upstream call(s): ${answer.text.slice(0, 200)}`,
    );
  if (mutation.kind === 'oversized' && answer.status !== 413)
    problems.push(`an oversized body got ${answer.status}, not 413`);
  return { status: answer.status, problems };
}

/**
 * Runs one property: `arbitrary` mutations of the route's samples (the first sample for the
 * deterministic `examples`), each sent and judged; fails with the rules a case broke.
 */
export async function fuzzRoute(options: {
  rig: FuzzRig;
  route: FuzzRoute;
  name: string;
  settings: FuzzSettings;
  defaultRuns: number;
  arbitrary: (sample: JsonValue) => fc.Arbitrary<Mutation>;
  examples?: Mutation[];
  /** After a case that succeeded: put back what it changed, for the next case. */
  restore?: () => Promise<void>;
}): Promise<void> {
  const { rig, route } = options;
  const cases = fc.oneof(
    ...route.samples.map((sample, index) =>
      options.arbitrary(sample).map((mutation) => ({ sample: index, mutation })),
    ),
  );
  const examples = (options.examples ?? []).map((mutation) => ({ sample: 0, mutation }));
  await fc.assert(
    fc.asyncProperty(cases, async ({ sample, mutation }) => {
      const sent = await sendAndJudge({ rig, route, sample: route.samples[sample] ?? null, mutation });
      if (sent.status < 400) await options.restore?.();
      if (sent.problems.length > 0) throw new Error(sent.problems.join('\n'));
    }),
    propertyParameters({
      settings: options.settings,
      name: options.name,
      defaultRuns: options.defaultRuns,
      examples,
    }),
  );
}
