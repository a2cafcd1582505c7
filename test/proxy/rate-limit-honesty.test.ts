/**
 * Rate-limit honesty through real HTTP (issue 10): accounts with a per-window request limit (the
 * simulator's sliding window, `Retry-After` on a 429, rate-limit headers with what is left on
 * OpenAI and Anthropic answers), a burst of requests without a session that overruns the pool, then
 * concurrent multi-turn conversations at about 0.65 × the pool's capacity, in every mode and client
 * protocol. No call may go to an account inside a window it announced (by a 429 or by
 * `remaining: 0`), as recorded at the gateway's edge (`support/upstream-call-log.ts`);
 * conversations keep their account in the sticky modes; every client request succeeds or gets a
 * well-formed 429 with Retry-After. The nine cases run side by side, each on its own upstream and
 * gateway, to keep the file's wall time to one case's (about 10 s).
 */
import { describe, expect, it } from 'vitest';
import { systemClock } from '../../src/core/clock.js';
import { seededRandom } from '../../src/simulator/seeded-random.js';
import { SimulatedAccountPolicy } from '../../src/simulator/simulated-account-policy.js';
import { type SimulatedUpstream, startSimulatedUpstream } from '../../src/simulator/simulated-upstream.js';
import { type CallResult, type GatewayHarness, startGateway } from '../support/gateway-harness.js';
import { UpstreamCallLog } from '../support/upstream-call-log.js';

type Protocol = 'openai-chat' | 'anthropic' | 'gemini';
type Mode = 'Balance' | 'CacheFirst' | 'PerformanceFirst';

/**
 * 3 accounts × 4 requests per sliding 1 s window (12/s); 9 conversations of 6 turns about 1.15 s
 * apart (7.8/s). A conversation's turns are more than a window apart, so even four conversations
 * on one account fill its window at most: the conversations meet full windows, the burst
 * (`BURST` requests at once) overruns them.
 */
const ACCOUNTS = 3;
const REQUESTS_PER_WINDOW = 4;
const WINDOW_MS = 1_000;
const CONVERSATIONS = 9;
const TURNS = 6;
const THINK_MS = { min: 1_050, max: 1_150 };
const BURST = 16;

interface ProtocolCase {
  provider: 'openai' | 'anthropic' | 'gemini';
  baseUrl: (upstreamUrl: string) => string;
  /** The request of one turn: the conversation's opening, then `turn` exchanges. */
  request(opening: string, turn: number): { path: string; body: unknown };
  /** Checks an error body has the protocol's shape. */
  errorShape(body: unknown): void;
}

function exchanges(turn: number): { question: string; answer: string }[] {
  return Array.from({ length: turn }, (_, index) => ({
    question: `follow-up ${index}`,
    answer: `answer ${index}`,
  }));
}

const PROTOCOLS: Record<Protocol, ProtocolCase> = {
  'openai-chat': {
    provider: 'openai',
    baseUrl: (url) => `${url}/v1`,
    request: (opening, turn) => ({
      path: '/v1/chat/completions',
      body: {
        model: 'gpt-4o',
        messages: [
          { role: 'user', content: opening },
          ...exchanges(turn).flatMap(({ question, answer }) => [
            { role: 'assistant', content: answer },
            { role: 'user', content: question },
          ]),
        ],
      },
    }),
    errorShape: (body) =>
      expect(body).toMatchObject({ error: { message: expect.any(String), type: expect.any(String) } }),
  },
  anthropic: {
    provider: 'anthropic',
    baseUrl: (url) => url,
    request: (opening, turn) => ({
      path: '/v1/messages',
      body: {
        model: 'claude-sonnet-4-6',
        max_tokens: 64,
        messages: [
          { role: 'user', content: opening },
          ...exchanges(turn).flatMap(({ question, answer }) => [
            { role: 'assistant', content: answer },
            { role: 'user', content: question },
          ]),
        ],
      },
    }),
    errorShape: (body) =>
      expect(body).toMatchObject({
        type: 'error',
        error: { type: expect.any(String), message: expect.any(String) },
      }),
  },
  gemini: {
    provider: 'gemini',
    baseUrl: (url) => url,
    request: (opening, turn) => ({
      path: '/v1beta/models/gemini-2.5-pro:generateContent',
      body: {
        contents: [
          { role: 'user', parts: [{ text: opening }] },
          ...exchanges(turn).flatMap(({ question, answer }) => [
            { role: 'model', parts: [{ text: answer }] },
            { role: 'user', parts: [{ text: question }] },
          ]),
        ],
      },
    }),
    errorShape: (body) =>
      expect(body).toMatchObject({
        error: { code: expect.any(Number), message: expect.any(String), status: expect.any(String) },
      }),
  },
};

/** What one conversation saw: the serving account of each successful turn, and every answer. */
interface Played {
  accounts: string[];
  answers: CallResult[];
}

async function playConversation(options: {
  harness: GatewayHarness;
  protocol: ProtocolCase;
  index: number;
}): Promise<Played> {
  const { harness, protocol, index } = options;
  const random = seededRandom(1_000 + index);
  const opening = `conversation number ${index}: a first message long enough to give it a session id`;
  const played: Played = { accounts: [], answers: [] };
  // Starts spread over one think time, so the conversations do not move in lockstep.
  await systemClock.sleep(Math.round(((THINK_MS.min + THINK_MS.max) / 2 / CONVERSATIONS) * index));
  for (let turn = 0; turn < TURNS; turn++) {
    const { path, body } = protocol.request(opening, turn);
    const answer = await harness.call('POST', path, { body });
    played.answers.push(answer);
    if (answer.status === 200) played.accounts.push(String(answer.headers['x-account-email']));
    await systemClock.sleep(Math.round(THINK_MS.min + random() * (THINK_MS.max - THINK_MS.min)));
  }
  return played;
}

/** Share of successful turns after a conversation's first that stayed on its previous account. */
function stickiness(conversations: readonly Played[]): number {
  let eligible = 0;
  let sticky = 0;
  for (const { accounts } of conversations) {
    for (let index = 1; index < accounts.length; index++) {
      eligible++;
      if (accounts[index] === accounts[index - 1]) sticky++;
    }
  }
  return eligible === 0 ? 0 : sticky / eligible;
}

/** Requests without a session id, all at once: they overrun the pool and get answers that announce windows. */
async function burst(harness: GatewayHarness, protocol: ProtocolCase): Promise<CallResult[]> {
  return Promise.all(
    Array.from({ length: BURST }, (_, index) => {
      // Too short for a session id: these requests are not conversations.
      const { path, body } = protocol.request(`b${index}`, 0);
      return harness.call('POST', path, { body });
    }),
  );
}

async function runCase(mode: Mode, protocolName: Protocol) {
  const protocol = PROTOCOLS[protocolName];
  const keys = Array.from({ length: ACCOUNTS }, (_, index) => `sk-window-${mode}-${protocolName}-${index}`);
  const upstream: SimulatedUpstream = await startSimulatedUpstream({
    clock: systemClock,
    latencyMs: { min: 10, max: 40 },
    accounts: keys.map((apiKey, index) => ({
      name: `window-${index}@example.com`,
      apiKey,
      policy: new SimulatedAccountPolicy({
        tier: 'PRO',
        requestsPerMinute: REQUESTS_PER_WINDOW,
        windowMs: WINDOW_MS,
        seed: index + 1,
      }),
    })),
  });
  let gateway: GatewayHarness | undefined;
  const log = UpstreamCallLog.start(upstream.url);
  try {
    gateway = await startGateway({
      config: { proxy: { scheduling: { mode } } },
      accounts: keys.map((apiKey, index) => ({
        provider: protocol.provider,
        email: `window-${index}@example.com`,
        api_key: apiKey,
        base_url: protocol.baseUrl(upstream.url),
      })),
    });
    const harness = gateway;
    const burstAnswers = await burst(harness, protocol);
    const conversations = await Promise.all(
      Array.from({ length: CONVERSATIONS }, (_, index) => playConversation({ harness, protocol, index })),
    );
    return { burstAnswers, conversations, log, stats: upstream.stats() };
  } finally {
    log.stop();
    await gateway?.close();
    await upstream.close();
  }
}

const MODES: Mode[] = ['Balance', 'CacheFirst', 'PerformanceFirst'];
const CASES = MODES.flatMap((mode) =>
  (Object.keys(PROTOCOLS) as Protocol[]).map((protocol) => ({ mode, protocol })),
);

describe.concurrent('per-window limits, every mode and client protocol', () => {
  it.each(CASES)(
    '$mode, $protocol: no call into an announced window, every answer a success or a well-formed 429',
    async ({ mode, protocol }) => {
      const { burstAnswers, conversations, log, stats } = await runCase(mode, protocol);

      // The burst did reach the limits: accounts announced windows (a full window or a 429).
      expect(log.windows.length).toBeGreaterThan(0);
      expect(log.callsInsideAnnouncedWindows()).toEqual([]);
      const answers = [...burstAnswers, ...conversations.flatMap((played) => played.answers)];
      expect(answers).toHaveLength(BURST + CONVERSATIONS * TURNS);
      for (const answer of answers.filter((candidate) => candidate.status !== 200)) {
        expect(answer.status).toBe(429);
        expect(Number(answer.headers['retry-after'])).toBeGreaterThanOrEqual(1);
        PROTOCOLS[protocol].errorShape(answer.json);
      }
      const served = Object.values(stats).reduce((sum, account) => sum + account.answered, 0);
      expect(served).toBe(answers.filter((answer) => answer.status === 200).length);
      if (mode !== 'PerformanceFirst') expect(stickiness(conversations)).toBeGreaterThanOrEqual(0.97);
    },
    // Nine cases share the event loop and wait out real rate-limit windows; on a loaded machine
    // they need more than the default 20 s between them.
    90_000,
  );
});
