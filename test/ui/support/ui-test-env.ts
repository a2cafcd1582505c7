/**
 * The rig of a UI test file: one Chromium for the file; per test a mock upstream, a real gateway
 * (by default with three OpenAI-compatible accounts on it), and a fresh browser context (1280×900).
 * Call `setUpUiTests()` at the top of the file; read `env.page` and friends inside the tests.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, expect, vi } from 'vitest';
import {
  type GatewayHarness,
  type StartGatewayOptions,
  startGateway,
} from '../../support/gateway-harness.js';
import { type MockUpstream, startMockUpstream } from '../../support/mock-upstream.js';
import { launchChromium } from './browser.js';
import { ensureUiBuilt } from './ensure-ui-built.js';
import { WAIT_MS } from './ui-session.js';

export const KEYS = ['sk-one', 'sk-two', 'sk-three'];
export const EMAILS = ['account1@example.com', 'account2@example.com', 'account3@example.com'];

export interface UiTestEnv {
  readonly page: Page;
  readonly gateway: GatewayHarness;
  readonly upstream: MockUpstream;
}

/** The three OpenAI-compatible accounts of the default gateway, on `upstream`. */
export function defaultGatewayOptions(upstream: MockUpstream): StartGatewayOptions {
  return {
    accounts: KEYS.map((key, index) => ({
      provider: 'openai' as const,
      email: EMAILS[index] ?? key,
      api_key: key,
      base_url: `${upstream.url}/v1`,
    })),
  };
}

/**
 * Registers the hooks; the returned object reads the current test's page, gateway and upstream.
 * `gateway` chooses each test's gateway config and accounts (default: `defaultGatewayOptions`).
 */
export function setUpUiTests(
  options: { gateway?: (upstream: MockUpstream) => StartGatewayOptions } = {},
): UiTestEnv {
  const gatewayOptions = options.gateway ?? defaultGatewayOptions;
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  const current: { page?: Page; gateway?: GatewayHarness; upstream?: MockUpstream } = {};
  // A browser test makes several bounded waits in a row; the default 20 s would cut the last one short.
  vi.setConfig({ testTimeout: 90_000 });

  beforeAll(async () => {
    await ensureUiBuilt();
    browser = await launchChromium();
  }, 150_000);
  afterAll(async () => {
    await browser?.close();
  });
  beforeEach(async () => {
    const upstream = await startMockUpstream();
    current.upstream = upstream;
    current.gateway = await startGateway(gatewayOptions(upstream));
    context = await browser?.newContext({ viewport: { width: 1280, height: 900 } });
    current.page = await context?.newPage();
    current.page?.setDefaultTimeout(WAIT_MS);
  });
  afterEach(async () => {
    await context?.close();
    await current.gateway?.close();
    await current.upstream?.close();
  });

  const need = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`${what} is only available inside a test`);
    return value;
  };
  return {
    get page() {
      return need(current.page, 'page');
    },
    get gateway() {
      return need(current.gateway, 'gateway');
    },
    get upstream() {
      return need(current.upstream, 'upstream');
    },
  };
}

/** What the gateway said about one proxied request. */
export interface ServedRequest {
  account: string;
  mappedModel: string;
  requestId: string;
}

/** One first turn of a conversation through the proxy (OpenAI Chat), expected to succeed. */
export async function chat(
  gateway: GatewayHarness,
  conversation: string,
  model = 'gpt-4o',
): Promise<ServedRequest> {
  const result = await gateway.call('POST', '/v1/chat/completions', {
    body: {
      model,
      messages: [{ role: 'user', content: `conversation ${conversation}: long enough to hash` }],
    },
  });
  expect(result.status).toBe(200);
  return {
    account: String(result.headers['x-account-email']),
    mappedModel: String(result.headers['x-mapped-model']),
    requestId: String(result.headers['x-request-id']),
  };
}

/** An admin API call's JSON answer. */
export async function adminJson<T>(
  gateway: GatewayHarness,
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  const result = await gateway.call(method, path, body === undefined ? {} : { body });
  return result.json as T;
}
