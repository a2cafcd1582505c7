/**
 * Faults under load: the real `switchyard start` (a child process, so its memory is measured
 * honestly) with four accounts on the mock upstream — one answering 429, one 500/503/529 in turns,
 * one dropping the connection (before the first byte, and mid-stream before and after the first
 * content), one with a slow first byte — and bounded mixed traffic from three client protocols,
 * streaming and not, with clients giving up at random moments.
 *
 * Every client gets a success or a well-formed protocol error, every stream ends with its terminal
 * event or an error event, no call outlives its bound; afterwards the upstream has no answer left
 * running for any request (the calls that were given up on hold answers that never end by
 * themselves, so only the gateway letting go of them ends them) and the gateway's RSS comes back to
 * within 20 % of its level before the load.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { systemClock } from '../../src/core/clock.js';
import { seededRandom } from '../../src/simulator/seeded-random.js';
import { type CliGateway, startCliGateway, temporaryDirectory } from '../foundation/run-cli.js';
import { fuzzSettings } from '../support/fuzz-settings.js';
import { httpCall } from '../support/http-call.js';
import { type LoadCall, type LoadOutcome, type LoadProtocol, runLoad } from '../support/load-client.js';
import {
  type Behaviour,
  dropBeforeFirstByte,
  dropMidStream,
  hang,
  type MockUpstream,
  ok,
  rateLimited,
  serverError,
  slowFirstByte,
  startMockUpstream,
  type UpstreamRequest,
} from '../support/mock-upstream.js';
import { residentSetBytes } from '../support/process-memory.js';

const REQUEST_TIMEOUT_S = 5;
const FIRST_BYTE_TIMEOUT_S = 2;
const MAX_ATTEMPTS = 3;
/** The longest a call may take: every attempt silent for the whole request_timeout, plus slack. */
const CALL_DEADLINE_MS = MAX_ATTEMPTS * REQUEST_TIMEOUT_S * 1000 + 2000;
const CONCURRENCY = 12;
const WARM_UP_CALLS = 60;
const LOAD_CALLS = 240;
/** In the text of calls whose client will give up: the slow account then answers without end. */
const LINGER = '[linger]';

const API_KEY = 'sk-load-proxy-key-8c1f2e7a';
const KEYS = {
  limited: 'sk-load-429-account-key',
  failing: 'sk-ant-load-5xx-account-key',
  dropping: 'AIza-load-dropping-account-key',
  slow: 'sk-ant-load-slow-account-key',
} as const;

let upstream: MockUpstream;
let gateway: CliGateway;
let removeDir: () => Promise<void>;

/** A behaviour chooser that cycles through `behaviours`. */
function inTurns(behaviours: Behaviour[]): () => Behaviour {
  let turn = 0;
  return () => behaviours[turn++ % behaviours.length]!;
}

function isStream(request: UpstreamRequest): boolean {
  const body = request.body as { stream?: unknown } | null;
  return request.path.includes('streamGenerateContent') || body?.stream === true;
}

/** The slow account: a slow first byte (now and then slower than first_byte_timeout); endless for calls given up on. */
function slowAccount(): (request: UpstreamRequest) => Behaviour {
  let turn = 0;
  return (request) => {
    if (request.rawBody.includes(LINGER))
      return isStream(request)
        ? ok({ firstByteDelayMs: 200, text: 'more '.repeat(2000), chunks: 2000, chunkDelayMs: 40 })
        : hang();
    turn++;
    return slowFirstByte(turn % 8 === 0 ? FIRST_BYTE_TIMEOUT_S * 1000 + 500 : 300, {
      chunks: 5,
      chunkDelayMs: 20,
    });
  };
}

async function addAccount(account: Record<string, unknown>): Promise<void> {
  const added = await httpCall(`${gateway.url}/api/accounts`, {
    body: account,
    headers: { authorization: `Bearer ${API_KEY}` },
  });
  if (added.status !== 201) throw new Error(`could not add ${String(account['email'])}: ${added.text}`);
}

/** Gives each account its fault (again after `upstream.reset()`, which forgets them). */
function scriptFaults(): void {
  upstream.setDefault(KEYS.limited, rateLimited({ retryAfter: '1' }));
  upstream.setDefault(KEYS.failing, inTurns([serverError(500), serverError(503), serverError(529)]));
  upstream.setDefault(
    KEYS.dropping,
    inTurns([dropBeforeFirstByte(), dropMidStream({ afterChunks: 0 }), dropMidStream({ afterChunks: 2 })]),
  );
  upstream.setDefault(KEYS.slow, slowAccount());
}

beforeAll(async () => {
  upstream = await startMockUpstream();
  scriptFaults();
  const directory = await temporaryDirectory();
  removeDir = directory.remove;
  const config = {
    proxy: {
      api_key: API_KEY,
      auth_mode: 'strict',
      request_timeout: REQUEST_TIMEOUT_S,
      first_byte_timeout: FIRST_BYTE_TIMEOUT_S,
      max_attempts: MAX_ATTEMPTS,
      // No locks: every request meets the faulty accounts again, not only the first ones.
      circuit_breaker: { enabled: false },
    },
    auto_refresh: false,
  };
  await writeFile(join(directory.path, 'gui_config.json'), JSON.stringify(config));
  gateway = await startCliGateway({ dataDir: directory.path });
  await addAccount({
    provider: 'openai',
    email: '429@load.test',
    api_key: KEYS.limited,
    base_url: `${upstream.url}/v1`,
  });
  await addAccount({
    provider: 'anthropic',
    email: '5xx@load.test',
    api_key: KEYS.failing,
    base_url: upstream.url,
  });
  await addAccount({
    provider: 'gemini',
    email: 'drops@load.test',
    api_key: KEYS.dropping,
    base_url: upstream.url,
  });
  await addAccount({
    provider: 'anthropic',
    email: 'slow@load.test',
    api_key: KEYS.slow,
    base_url: upstream.url,
  });
}, 60_000);

afterAll(async () => {
  await gateway?.stop('SIGKILL');
  await upstream?.close();
  await removeDir?.();
});

/** `count` calls of the three protocols, streaming or not, a third of them given up at a random moment. */
function plan(count: number, seed: number, label: string): LoadCall[] {
  const random = seededRandom(seed);
  const protocols: LoadProtocol[] = ['openai', 'anthropic', 'gemini'];
  return Array.from({ length: count }, (_, index) => {
    const gives_up = random() < 0.3;
    const lingers = gives_up && random() < 0.7;
    return {
      protocol: protocols[Math.floor(random() * protocols.length)]!,
      stream: random() < 0.5,
      text: `${label} call ${index}: tell me something about trains ${lingers ? LINGER : ''}`,
      abortAfterMs: gives_up ? Math.floor(random() * 1500) : null,
    };
  });
}

function load(calls: LoadCall[]): Promise<LoadOutcome[]> {
  return runLoad({
    url: gateway.url,
    headers: { authorization: `Bearer ${API_KEY}` },
    calls,
    concurrency: CONCURRENCY,
    deadlineMs: CALL_DEADLINE_MS,
  });
}

/** Polls `read` every 100 ms until `done` holds or `limitMs` passes; the last value read. */
async function pollUntil<T>(
  read: () => T | Promise<T>,
  done: (value: T) => boolean,
  limitMs: number,
): Promise<T> {
  const until = systemClock.now() + limitMs;
  let value = await read();
  while (!done(value) && systemClock.now() < until) {
    await systemClock.sleep(100);
    value = await read();
  }
  return value;
}

function describe(outcome: LoadOutcome): string {
  const { call } = outcome;
  return `${call.protocol}${call.stream ? ' stream' : ''} "${call.text}" → ${outcome.ending} ${outcome.status ?? ''} after ${outcome.durationMs} ms: ${outcome.problems.join('; ')}`;
}

it('every client gets a success or a well-formed error, and the gateway lets go of everything afterwards', async () => {
  const { seed } = fuzzSettings();
  await load(plan(WARM_UP_CALLS, seed, 'warm-up'));
  // Answers still running for the warm-up's abandoned calls must end before the baseline.
  await pollUntil(
    () => upstream.connections().busy,
    (busy) => busy === 0,
    3000,
  );
  const pid = gateway.child.pid!;
  const before = await residentSetBytes(pid);
  upstream.reset();
  scriptFaults();

  const outcomes = await load(plan(LOAD_CALLS, seed + 1, 'load'));
  const count = (ending: LoadOutcome['ending']) =>
    outcomes.filter((outcome) => outcome.ending === ending).length;
  const successes = outcomes.filter(
    (outcome) => outcome.ending === 'answered' && (outcome.status ?? 0) < 400,
  );
  console.info(
    `faults under load: ${successes.length} successes, ${count('answered') - successes.length} errors, ` +
      `${count('aborted')} given up, ${count('hung')} hung, ${count('failed')} connection failures; ` +
      `longest answered call ${Math.max(...outcomes.map((outcome) => (outcome.ending === 'answered' ? outcome.durationMs : 0)))} ms`,
  );
  expect(outcomes.filter((outcome) => outcome.ending === 'hung').map(describe)).toEqual([]);
  expect(outcomes.filter((outcome) => outcome.problems.length > 0).map(describe)).toEqual([]);
  // The mix really happened: successes, protocol errors and clients giving up.
  expect(successes.length).toBeGreaterThan(0);
  expect(count('answered') - successes.length).toBeGreaterThan(0);
  expect(count('aborted')).toBeGreaterThan(0);

  // Answers for calls given up on never end by themselves: only the gateway closing them does.
  const lingering = upstream
    .requestsFor(KEYS.slow)
    .filter((request) => request.rawBody.includes(LINGER)).length;
  const connections = await pollUntil(
    () => upstream.connections(),
    (state) => state.busy === 0,
    3000,
  );
  console.info(
    `upstream after the load: ${JSON.stringify(connections)}, ${lingering} endless answers started`,
  );
  expect(connections.busy).toBe(0);
  expect(connections.abandoned).toBeGreaterThanOrEqual(lingering);

  const after = await pollUntil(
    () => residentSetBytes(pid),
    (rss) => rss <= before * 1.2,
    10_000,
  );
  console.info(
    `gateway RSS: ${(before / 1e6).toFixed(1)} MB before the load, ${(after / 1e6).toFixed(1)} MB after`,
  );
  expect(after).toBeLessThanOrEqual(before * 1.2);

  const health = await httpCall(`${gateway.url}/healthz`, {
    headers: { authorization: `Bearer ${API_KEY}` },
  });
  expect(health.json).toMatchObject({ status: 'ok' });
}, 90_000);
