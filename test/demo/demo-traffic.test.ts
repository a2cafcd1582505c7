import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { FakeClock } from '../../src/core/clock.js';
import { extractSessionId, openAIChatSessionRule } from '../../src/session/index.js';
import type { DemoConversation } from '../../src/simulator/demo-conversations.js';
import { DemoTraffic } from '../../src/simulator/demo-traffic.js';
import { type MockUpstream, ok, rateLimited, startMockUpstream } from '../support/mock-upstream.js';

// The mock upstream speaks the same client-facing paths as the gateway, so it stands in for one.
let gateway: MockUpstream;
beforeAll(async () => {
  gateway = await startMockUpstream();
});
afterEach(() => gateway.reset());
afterAll(() => gateway.close());

const openaiChat: DemoConversation = {
  name: 'chat',
  client: 'openai',
  model: 'gpt-4o',
  stream: false,
  opening: 'A long enough opening question about trams.',
  followUps: ['First follow-up.', 'Second follow-up.'],
};
const anthropicChat: DemoConversation = {
  ...openaiChat,
  name: 'messages',
  client: 'anthropic',
  model: 'claude-sonnet-4-5',
  stream: true,
  opening: 'A long enough opening question about bakeries.',
};

function traffic(conversations: DemoConversation[], extra: { turnsPerConversation?: number } = {}) {
  return new DemoTraffic({
    gatewayUrl: gateway.url,
    apiKey: 'sk-demo',
    clock: new FakeClock(),
    requestsPerSecond: 1,
    conversations,
    ...extra,
  });
}

function userTexts(body: unknown): string[] {
  const messages = (body as { messages: Array<{ role: string; content: unknown }> }).messages;
  return messages
    .filter((message) => message.role === 'user')
    .map((message) =>
      typeof message.content === 'string'
        ? message.content
        : (message.content as Array<{ text: string }>).map((part) => part.text).join(''),
    );
}

describe('DemoTraffic', () => {
  it('grows each conversation by one user turn while its first message (hence its session id) stays', async () => {
    const generator = traffic([openaiChat]);
    for (let turn = 0; turn < 3; turn++) await generator.sendNext();
    const bodies = gateway.requestsFor('sk-demo').map((request) => request.body);
    expect(bodies.map(userTexts)).toEqual([
      [openaiChat.opening],
      [openaiChat.opening, 'First follow-up.'],
      [openaiChat.opening, 'First follow-up.', 'Second follow-up.'],
    ]);
    const sessions = bodies.map((body) =>
      extractSessionId({ rule: openAIChatSessionRule, headers: {}, body }),
    );
    expect(new Set(sessions).size).toBe(1);
    expect(sessions[0]).toMatch(/^sid-/);
    // The answer of each turn is sent back as the assistant message of the next.
    expect(JSON.stringify(bodies[1])).toContain(`echo: ${openaiChat.opening}`);
  });

  it('speaks the Anthropic protocol for Anthropic clients, with cache markers and the x-api-key header', async () => {
    const generator = traffic([anthropicChat]);
    await generator.sendNext();
    await generator.sendNext();
    const [first, second] = gateway.requestsFor('sk-demo');
    expect(first?.path).toBe('/v1/messages');
    expect(first?.headers['x-api-key']).toBe('sk-demo');
    expect(first?.body).toMatchObject({ model: 'claude-sonnet-4-5', stream: true });
    expect(JSON.stringify(first?.body)).toContain('cache_control');
    // A streamed answer counts too: the second turn resends the first.
    expect(second?.body && userTexts(second.body)).toEqual([anthropicChat.opening, 'First follow-up.']);
  });

  it('retries a refused turn instead of adding it to the history, and counts the outcome by status', async () => {
    const generator = traffic([openaiChat]);
    gateway.setDefault('sk-demo', ok({ headers: { 'x-account-email': 'a@demo' } }));
    gateway.script('sk-demo', rateLimited({ retryAfter: '5' }));
    expect(await generator.sendNext()).toMatchObject({ status: 429 });
    await generator.sendNext();
    const bodies = gateway.requestsFor('sk-demo').map((request) => request.body);
    expect(bodies.map(userTexts)).toEqual([[openaiChat.opening], [openaiChat.opening]]);
    expect(generator.takeCounts()).toEqual({ sent: 2, servedBy: { 'a@demo': 1 }, failedBy: { '429': 1 } });
    expect(generator.takeCounts()).toEqual({ sent: 0, servedBy: {}, failedBy: {} });
  });

  it('starts a conversation over with a new first message (a new session) after its turns', async () => {
    const generator = traffic([openaiChat], { turnsPerConversation: 2 });
    for (let turn = 0; turn < 3; turn++) await generator.sendNext();
    const third = gateway.requestsFor('sk-demo')[2]?.body;
    expect(userTexts(third)).toEqual([`${openaiChat.opening} (take 2)`]);
  });

  it('takes the conversations in turn, one request per tick of the clock', async () => {
    const clock = new FakeClock();
    const generator = new DemoTraffic({
      gatewayUrl: gateway.url,
      apiKey: 'sk-demo',
      clock,
      requestsPerSecond: 2,
      conversations: [openaiChat, anthropicChat],
    });
    generator.start();
    expect(generator.takeCounts().sent).toBe(1);
    await clock.advance(499);
    expect(generator.takeCounts().sent).toBe(0);
    await clock.advance(1);
    expect(generator.takeCounts().sent).toBe(1);
    await vi.waitFor(() => expect(gateway.requestsFor('sk-demo')).toHaveLength(2));
    await generator.stop();
    const paths = gateway.requestsFor('sk-demo').map((request) => request.path);
    expect(paths.sort()).toEqual(['/v1/chat/completions', '/v1/messages']);
    // Stopped: no more ticks, and nothing more is sent.
    await clock.advance(5000);
    expect(generator.takeCounts().sent).toBe(0);
    expect(await generator.sendNext()).toBeNull();
  });

  it('rejects a rate that is not above 0', () => {
    expect(
      () =>
        new DemoTraffic({
          gatewayUrl: gateway.url,
          apiKey: 'k',
          clock: new FakeClock(),
          requestsPerSecond: 0,
        }),
    ).toThrow(/requestsPerSecond/);
  });
});
