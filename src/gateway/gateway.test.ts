/**
 * The attempt loop on its own, through its ports (gateway-ports.ts): a scripted scheduler and
 * upstream, and a fake clock whose waits are counted instead of slept.
 */
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  chatCompletion,
  chatRequest,
  type GatewayKit,
  gatewayKit,
  jsonAnswer,
  MODEL,
  pickAccount,
  recordedFailure,
  silent,
  sseAnswer,
  unreachable,
} from '../../test/support/gateway-fakes.js';
import { captureLogs } from '../../test/support/log-capture.js';
import { defaultConfig } from '../config/schema.js';
import type { Account } from '../core/account.js';
import type { CredentialProvider } from '../providers/auth/credential-provider.js';
import { testAccount } from '../scheduler/test-account.js';

const logs = captureLogs();
let kit: GatewayKit;

function start(accounts: Account[] = [testAccount('a'), testAccount('b')], credentials?: CredentialProvider) {
  kit = gatewayKit({ accounts, logger: logs.logger, ...(credentials ? { credentials } : {}) });
  return kit;
}

const ok = () => jsonAnswer(200, chatCompletion());
const handle = () => kit.gateway.handle(chatRequest(kit.clock));
/** Lets pending I/O run until `done` holds (bounded: a few hundred turns). */
async function until(done: () => boolean): Promise<void> {
  for (let turn = 0; turn < 500 && !done(); turn++)
    await new Promise<void>((resolve) => setImmediate(resolve));
  expect(done()).toBe(true);
}
const servedBy = (response: { headers: Record<string, string> }) => response.headers['x-account-email'];

beforeEach(() => logs.clear());
afterEach(() => expect(kit.upstream.answers).toEqual([]));

describe('waiting for a locked account', () => {
  it('waits as often as one attempt may, then rotates to a free account', async () => {
    const { scheduler, upstream, clock } = start();
    const wait = { kind: 'wait', accountId: 'a', waitMs: 500 } as const;
    scheduler.decisions.push(wait, wait, wait, wait, pickAccount('b'));
    upstream.answers.push(ok);
    const response = await handle();
    expect(response.status).toBe(200);
    expect(servedBy(response)).toBe('b@example.test');
    expect(clock.sleeps).toEqual([500, 500, 500]);
    expect(scheduler.selects.map((select) => select.forceRotate)).toEqual([false, false, false, false, true]);
  });

  it('answers 429 with the wait left as Retry-After when no account frees up', async () => {
    const { scheduler, upstream } = start();
    const wait = { kind: 'wait', accountId: 'a', waitMs: 2_500 } as const;
    scheduler.decisions.push(wait, wait, wait, wait, wait);
    await expect(handle()).rejects.toMatchObject({
      code: 'all_accounts_limited',
      status: 429,
      retryAfterSeconds: 3,
    });
    expect(upstream.sent).toEqual([]);
  });
});

describe('a grace retry after a short pause', () => {
  const limited = (graceRetryMs: number) =>
    recordedFailure({ reason: 'RateLimitExceeded', retryable: true, graceRetryMs, lockUntil: null });

  it('resends to the same account once the pause is over', async () => {
    const { scheduler, upstream, clock } = start();
    scheduler.decisions.push(pickAccount('a', 'sticky'));
    scheduler.verdict = () => limited(1_500);
    const start0 = clock.now();
    upstream.answers.push(() => jsonAnswer(429, { error: { message: 'slow down' } }), ok);
    const response = await handle();
    expect(response.status).toBe(200);
    expect(upstream.accountsCalled()).toEqual(['a', 'a']);
    expect(scheduler.resends).toEqual([{ accountId: 'a', at: start0 + 1_500 }]);
    expect(scheduler.failures.map((failure) => failure.via)).toEqual(['sticky']);
  });

  it('rotates instead when another request locked the account for longer meanwhile', async () => {
    const { scheduler, upstream, clock } = start();
    scheduler.decisions.push(pickAccount('a', 'sticky'), pickAccount('b'));
    scheduler.verdict = () => limited(1_500);
    scheduler.resendAnswer = null;
    upstream.answers.push(() => jsonAnswer(429, { error: { message: 'slow down' } }), ok);
    const response = await handle();
    expect(servedBy(response)).toBe('b@example.test');
    expect(upstream.accountsCalled()).toEqual(['a', 'b']);
    expect(clock.sleeps).toEqual([1_500]);
    expect(scheduler.selects[1]).toEqual({ forceRotate: true, attempted: ['a'] });
    // The request log names the accounts tried by email, as the Monitor shows them.
    expect(kit.logged).toEqual([
      expect.objectContaining({
        protocol: 'openai-chat',
        attempts: 2,
        accountsTried: ['a@example.test', 'b@example.test'],
      }),
    ]);
  });

  it('is granted once per account: a second failure there rotates', async () => {
    const { scheduler, upstream } = start();
    scheduler.decisions.push(pickAccount('a', 'sticky'), pickAccount('b'));
    scheduler.verdict = () => limited(1_000);
    const slowDown = () => jsonAnswer(429, { error: { message: 'slow down' } });
    upstream.answers.push(slowDown, slowDown, ok);
    expect(servedBy(await handle())).toBe('b@example.test');
    expect(upstream.accountsCalled()).toEqual(['a', 'a', 'b']);
    expect(scheduler.resends).toHaveLength(1);
  });
});

describe('an OAuth access token the upstream refuses', () => {
  const oauthAccount = testAccount('a', {
    credential: {
      type: 'oauth',
      refreshToken: 'refresh-a',
      accessToken: 'stale',
      expiresAt: null,
      tokenUrl: null,
      clientId: null,
      clientSecret: null,
    },
  });
  const refreshes: boolean[] = [];
  const credentials: CredentialProvider = {
    async authorize(_account, options) {
      refreshes.push(options?.forceRefresh ?? false);
      return { kind: 'bearer', value: options?.forceRefresh ? 'fresh' : 'stale' };
    },
  };
  const tokenCheck = (request: { headers: Record<string, string> }) =>
    request.headers['authorization'] === 'Bearer fresh'
      ? ok()
      : jsonAnswer(401, { error: { message: 'token revoked' } });
  beforeEach(() => {
    refreshes.length = 0;
  });

  it('is refreshed once and the request retried on the same account, with nothing recorded', async () => {
    const { scheduler, upstream } = start([oauthAccount, testAccount('b')], credentials);
    scheduler.decisions.push(pickAccount('a'));
    upstream.answers.push(tokenCheck, tokenCheck);
    const response = await handle();
    expect(response.status).toBe(200);
    expect(servedBy(response)).toBe('a@example.test');
    expect(refreshes).toEqual([false, true]);
    expect(scheduler.failures).toEqual([]);
  });

  it('counts as the account failing when the refreshed token is refused too', async () => {
    const { scheduler, upstream } = start([oauthAccount, testAccount('b')], credentials);
    scheduler.decisions.push(pickAccount('a'), pickAccount('b'));
    const refused = () => jsonAnswer(401, { error: { message: 'account suspended' } });
    upstream.answers.push(refused, refused, ok);
    expect(servedBy(await handle())).toBe('b@example.test');
    expect(refreshes).toEqual([false, true, false]);
    expect(scheduler.failures.map((failure) => [failure.accountId, failure.status])).toEqual([['a', 401]]);
  });
});

describe('an account deleted after the scheduler picked it', () => {
  it('is skipped without a call, and the request moves to the next pick', async () => {
    const { scheduler, upstream, accounts, logged } = start();
    accounts.remove('a');
    scheduler.decisions.push(pickAccount('a'), pickAccount('b'));
    upstream.answers.push(ok);
    const response = await handle();
    expect(servedBy(response)).toBe('b@example.test');
    expect(upstream.accountsCalled()).toEqual(['b']);
    expect(scheduler.failures).toEqual([]);
    expect(logged[0]).toMatchObject({ status: 200, attempts: 1, accountId: 'b' });
  });

  it('ends in no_account_available when every pick is gone', async () => {
    const { scheduler, accounts } = start();
    accounts.remove('a');
    accounts.remove('b');
    scheduler.decisions.push(pickAccount('a'), pickAccount('b'), pickAccount('a'));
    await expect(handle()).rejects.toMatchObject({ code: 'no_account_available', status: 503 });
  });
});

describe('a store write failing after a success', () => {
  it('is logged, never fails the answer, and never goes unhandled', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const { scheduler, upstream } = start();
      scheduler.storeFailure = new Error('SQLITE_BUSY: database is locked');
      scheduler.decisions.push(pickAccount('a'));
      upstream.answers.push(() =>
        jsonAnswer(200, chatCompletion(), { 'x-ratelimit-remaining-requests': '0' }),
      );
      const response = await handle();
      expect(response.status).toBe(200);
      // Unhandled rejections are reported after a macrotask: let one pass.
      await new Promise<void>((resolve) => setImmediate(resolve));
      expect(unhandled).toEqual([]);
      const failed = logs.lines.filter((line) => line.level === 50).map((line) => line.msg);
      expect(failed).toContain('could not record a successful request');
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});

describe('the answer when every attempt failed', () => {
  it('passes an upstream client error through as it was, without trying another account', async () => {
    const { scheduler, upstream } = start();
    scheduler.decisions.push(pickAccount('a'));
    upstream.answers.push(() => jsonAnswer(400, { error: { message: 'bad field foo' } }));
    const response = await handle();
    expect(response.status).toBe(400);
    expect(JSON.parse(String(response.body))).toEqual({ error: { message: 'bad field foo' } });
    expect(upstream.sent).toHaveLength(1);
  });

  it('is all_accounts_limited after 429s, with Retry-After until the last lock ends', async () => {
    const { scheduler, upstream, clock } = start();
    scheduler.decisions.push(pickAccount('a'), pickAccount('b'));
    const until = clock.now() + 42_000;
    scheduler.verdict = (input) =>
      recordedFailure({
        reason: 'QuotaExhausted',
        retryable: true,
        lockUntil: until,
        accountId: input.accountId,
      });
    const limited = () => jsonAnswer(429, { error: { message: 'quota' } });
    upstream.answers.push(limited, limited);
    await expect(handle()).rejects.toMatchObject({
      code: 'all_accounts_limited',
      status: 429,
      retryAfterSeconds: 42,
    });
  });

  it.each([
    { status: 500, code: 'upstream_error', answered: 502 },
    { status: 503, code: 'upstream_unavailable', answered: 503 },
    { status: 529, code: 'upstream_unavailable', answered: 503 },
  ])('is $code ($answered) after upstream $status answers', async ({ status, code, answered }) => {
    const { scheduler, upstream } = start();
    scheduler.decisions.push(pickAccount('a'), pickAccount('b'));
    const failing = () => jsonAnswer(status, { error: { message: 'down' } });
    upstream.answers.push(failing, failing);
    await expect(handle()).rejects.toMatchObject({ code, status: answered });
  });

  it('is upstream_unreachable (502) when no upstream could be reached', async () => {
    const { scheduler, upstream } = start();
    scheduler.decisions.push(pickAccount('a'), pickAccount('b'));
    upstream.answers.push(unreachable, unreachable);
    await expect(handle()).rejects.toMatchObject({
      code: 'upstream_unreachable',
      status: 502,
      message: expect.stringContaining('upstream connection failed (ECONNREFUSED)'),
    });
  });

  it('is upstream_timeout (504) when the upstream sent nothing within request_timeout', async () => {
    const { scheduler, upstream, clock } = start([testAccount('a')]);
    scheduler.decisions.push(pickAccount('a'));
    upstream.answers.push(silent);
    const pending = handle();
    await until(() => upstream.sent.length === 1);
    await clock.advance(defaultConfig().proxy.request_timeout * 1000);
    await expect(pending).rejects.toMatchObject({ code: 'upstream_timeout', status: 504 });
  });

  it('is upstream_rejected with the upstream status when a translated request is refused', async () => {
    const { scheduler, upstream } = start();
    scheduler.decisions.push(pickAccount('a'));
    upstream.answers.push(() => jsonAnswer(422, { error: { message: 'tools: too many' } }));
    const body = { model: MODEL, max_tokens: 16, messages: [{ role: 'user', content: 'hi' }] };
    const messages = chatRequest(kit.clock, {
      protocol: 'anthropic-messages',
      path: '/v1/messages',
      body,
      rawBody: Buffer.from(JSON.stringify(body)),
    });
    await expect(kit.gateway.handle(messages)).rejects.toMatchObject({
      code: 'upstream_rejected',
      status: 422,
      message: 'Upstream rejected the request: tools: too many',
    });
    expect(upstream.sent).toHaveLength(1);
  });

  it('is no_account_available (503) naming the reason when no account can serve the model', async () => {
    const { scheduler } = start();
    scheduler.decisions.push({ kind: 'none-eligible', reason: 'model-not-served', message: 'nobody' });
    await expect(handle()).rejects.toMatchObject({
      code: 'no_account_available',
      status: 503,
      details: { reason: 'model-not-served' },
    });
  });

  it('names the last account and its failure', async () => {
    const { scheduler, upstream } = start();
    scheduler.decisions.push(pickAccount('a'), pickAccount('b'));
    upstream.answers.push(
      () => jsonAnswer(500, { error: { message: 'boom' } }),
      () => jsonAnswer(500, { error: { message: 'boom' } }),
    );
    await expect(handle()).rejects.toMatchObject({
      code: 'upstream_error',
      status: 502,
      message: 'All 2 attempt(s) failed; the last one, on b@example.test: upstream answered 500',
    });
  });
});

describe('a streamed answer', () => {
  const recorded = readFileSync(
    new URL('../providers/openai/__fixtures__/openai-chat-stream-text.sse', import.meta.url),
    'utf8',
  );
  const events = recorded
    .split('\n\n')
    .filter((event) => event !== '')
    .map((event) => `${event}\n\n`);
  // Asking for usage itself, the client gets the usage chunk too (else the gateway asks and drops it).
  const body = {
    model: MODEL,
    stream: true,
    stream_options: { include_usage: true },
    messages: [{ role: 'user', content: 'hi' }],
  };
  const streamed = () =>
    kit.gateway.handle(
      chatRequest(kit.clock, { stream: true, body, rawBody: Buffer.from(JSON.stringify(body)) }),
    );
  const read = async (body: Buffer | AsyncIterable<Buffer>) => {
    const chunks: Buffer[] = [];
    for await (const chunk of body as AsyncIterable<Buffer>) chunks.push(chunk);
    return Buffer.concat(chunks).toString('utf8');
  };

  it('is relayed as the upstream sent it, and its usage reaches the request log', async () => {
    const { scheduler, upstream, logged } = start();
    scheduler.decisions.push(pickAccount('a'));
    upstream.answers.push(() => sseAnswer(events));
    const response = await streamed();
    expect(response.headers['content-type']).toBe('text/event-stream');
    expect(await read(response.body)).toBe(events.join(''));
    expect(logged).toEqual([
      expect.objectContaining({
        status: 200,
        error: null,
        usage: expect.objectContaining({ inputTokens: 19 }),
      }),
    ]);
  });

  it('that breaks off after its first output ends with the protocol error event, logged as such', async () => {
    const { scheduler, upstream, logged } = start();
    scheduler.decisions.push(pickAccount('a'));
    upstream.answers.push(() => sseAnswer(events.slice(0, 3), { breakOff: true }));
    const output = await read((await streamed()).body);
    expect(output.startsWith(events.slice(0, 3).join(''))).toBe(true);
    expect(
      output.endsWith('data: {"error":{"message":"The upstream stream broke off before it finished"}}\n\n'),
    ).toBe(true);
    expect(logged).toEqual([
      expect.objectContaining({ status: 200, error: 'stream broke off after the first byte' }),
    ]);
  });
});

it('keeps MODEL as the mapped model header', async () => {
  const { scheduler, upstream } = start();
  scheduler.decisions.push(pickAccount('a'));
  upstream.answers.push(ok);
  expect((await handle()).headers['x-mapped-model']).toBe(MODEL);
});
