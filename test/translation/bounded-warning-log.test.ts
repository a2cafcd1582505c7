/**
 * Log volume is bounded per request: a request that makes the translator warn tens of thousands of
 * times (here a long same-role run whose tool results must move) logs a handful of counted lines.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildBody } from '../../bench/translate/shapes.js';
import { MAX_WARNING_LINES_PER_REQUEST } from '../../src/gateway/translation/warning-digest.js';
import { type GatewayHarness, startGateway } from '../support/gateway-harness.js';
import { type CapturedLogs, captureLogs } from '../support/log-capture.js';
import { type MockUpstream, startMockUpstream } from '../support/mock-upstream.js';

let upstream: MockUpstream;
let gateway: GatewayHarness;
let logs: CapturedLogs;

beforeAll(async () => {
  upstream = await startMockUpstream();
  logs = captureLogs();
  gateway = await startGateway({
    logger: logs.logger,
    accounts: [{ provider: 'anthropic', email: 'a@example.com', api_key: 'sk-ant', base_url: upstream.url }],
  });
});

afterAll(async () => {
  await gateway?.close();
  await upstream?.close();
});

it('logs a request with 10 000 warnings in a few counted lines', async () => {
  const body = { ...buildBody('openai-chat', 'mixed-user-run', 20_000), model: 'claude-sonnet-4-6' };
  const answer = await gateway.call('POST', '/v1/chat/completions', { body });
  expect(answer.status).toBe(200);
  const lines = logs.lines.filter((line) => line['requestId'] === answer.headers['x-request-id']);
  expect(lines.length).toBeGreaterThan(0);
  expect(lines.length).toBeLessThanOrEqual(MAX_WARNING_LINES_PER_REQUEST + 1);
  const moved = lines.find((line) => String(JSON.stringify(line['warning'])).includes('tool results moved'));
  expect(moved?.['count']).toBe(10_000);
});
