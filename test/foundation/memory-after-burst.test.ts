/**
 * Bounded request memory: after a burst of large (allowed) requests, the gateway's resident memory
 * comes back near where it was before, without a restart. The gateway runs as the real
 * `switchyard start` child process; its RSS is read with `ps`, polled a bounded number of times.
 */
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildBody } from '../../bench/translate/shapes.js';
import { systemClock } from '../../src/core/clock.js';
import { type MockUpstream, startMockUpstream } from '../support/mock-upstream.js';
import { type CliGateway, startCliGateway, temporaryDirectory } from './run-cli.js';

/** How far above its level before the burst the RSS may stay (the burst takes it up ~350 MB). */
const ALLOWED_GROWTH_MB = 120;

let upstream: MockUpstream;
let gateway: CliGateway;
let directory: Awaited<ReturnType<typeof temporaryDirectory>>;

beforeAll(async () => {
  upstream = await startMockUpstream();
  directory = await temporaryDirectory();
  gateway = await startCliGateway({ dataDir: directory.path });
  for (const key of ['sk-one', 'sk-two']) {
    const added = await call('/api/accounts', {
      provider: 'anthropic',
      email: `${key}@example.com`,
      api_key: key,
      base_url: upstream.url,
    });
    expect(added).toBe(201);
  }
});

afterAll(async () => {
  await gateway?.stop();
  await upstream?.close();
  await directory?.remove();
});

async function call(path: string, body: unknown): Promise<number> {
  const response = await fetch(`${gateway.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${gateway.apiKey}`, 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  await response.arrayBuffer();
  return response.status;
}

function rssMb(): number {
  const pid = String(gateway.child.pid);
  return Number(execFileSync('ps', ['-o', 'rss=', '-p', pid]).toString().trim()) / 1024;
}

it('gives the memory of a burst of 4 MB translated requests back once it is over', {
  timeout: 60_000,
}, async () => {
  const small = { model: 'claude-sonnet-4-6', messages: [{ role: 'user', content: 'warm up' }] };
  for (let index = 0; index < 3; index++) expect(await call('/v1/chat/completions', small)).toBe(200);
  await systemClock.sleep(1500);
  const before = rssMb();

  // A 4 MB Chat conversation of 60 000 short turns, sent to Anthropic accounts (translated).
  const conversation = buildBody('openai-chat', 'alternating', 60_000) as { messages: unknown[] };
  conversation.messages.push({ role: 'user', content: 'and the last question' });
  const large = JSON.stringify({ ...conversation, model: 'claude-sonnet-4-6' });
  const statuses = await Promise.all(Array.from({ length: 8 }, () => call('/v1/chat/completions', large)));
  expect(statuses.every((status) => status === 200)).toBe(true);

  let after = rssMb();
  for (let poll = 0; poll < 40 && after > before + ALLOWED_GROWTH_MB; poll++) {
    await systemClock.sleep(250);
    after = rssMb();
  }
  expect(after).toBeLessThanOrEqual(before + ALLOWED_GROWTH_MB);
});
