/**
 * `switchyard demo`: a gateway to look at without any real key. It starts a simulated upstream
 * with four accounts of mixed tiers and small per-minute limits (one of them failing now and
 * then, see `src/simulator/demo-accounts.ts`), a gateway on a temporary data directory pointed at
 * it, and a gentle traffic generator playing a few conversations (`src/simulator/demo-traffic.ts`).
 * It prints the UI address, the API key and what to look at; Ctrl-C stops everything and removes
 * the data directory.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Command, InvalidArgumentError } from 'commander';
import { type Clock, systemClock } from '../core/clock.js';
import { systemIds } from '../core/ids.js';
import { createLogger } from '../observability/logger.js';
import { type DemoAccount, demoAccounts } from '../simulator/demo-accounts.js';
import { DEMO_CONVERSATIONS } from '../simulator/demo-conversations.js';
import { DemoTraffic, type DemoTrafficCounts } from '../simulator/demo-traffic.js';
import {
  type SimulatedAccountStats,
  type SimulatedUpstream,
  startSimulatedUpstream,
} from '../simulator/simulated-upstream.js';
import { GatewayRuntime } from './gateway-runtime.js';

interface DemoFlags {
  port: number;
  rate: number;
  /** false with `--no-traffic`. */
  traffic: boolean;
  logLevel: string;
}

/** Everything the demo started, in the order it is stopped. */
interface DemoSession {
  traffic: DemoTraffic | null;
  runtime: GatewayRuntime;
  upstream: SimulatedUpstream;
  dataDir: string;
  accounts: DemoAccount[];
  stopSummaries: () => void;
}

const SUMMARY_INTERVAL_MS = 20_000;
const MAX_RATE = 50;

function portNumber(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new InvalidArgumentError('must be a whole number from 0 to 65535 (0 picks a free port)');
  }
  return port;
}

function requestRate(value: string): number {
  const rate = Number(value);
  if (!Number.isFinite(rate) || rate <= 0 || rate > MAX_RATE) {
    throw new InvalidArgumentError(`must be a number above 0 and at most ${MAX_RATE}`);
  }
  return rate;
}

/** Registers `switchyard demo` on the program. */
export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description(
      'Try Switchyard without real keys: a gateway, four simulated accounts with small limits and a bit of traffic',
    )
    .option('--port <port>', 'port of the gateway and its UI (0 picks a free port)', portNumber, 8045)
    .option('--rate <requests-per-second>', 'how fast the simulated clients send requests', requestRate, 1)
    .option('--no-traffic', 'start without the simulated clients (send your own requests)')
    .option('--log-level <level>', 'gateway log level: fatal, error, warn, info, debug, trace', 'error')
    .action((flags: DemoFlags) => runDemo(flags));
}

async function runDemo(flags: DemoFlags): Promise<void> {
  const session = await startDemo(flags, systemClock);
  let stopping = false;
  const shutdown = () => {
    if (stopping) process.exit(130);
    stopping = true;
    process.stdout.write('\nStopping the demo…\n');
    stopDemo(session).then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`switchyard demo: ${error instanceof Error ? error.message : String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
  process.stdout.write(banner(session, flags));
  session.traffic?.start();
}

/** Starts the simulator, the gateway and (unless `--no-traffic`) the clients; cleans up if any step fails. */
async function startDemo(flags: DemoFlags, clock: Clock): Promise<DemoSession> {
  const dataDir = await mkdtemp(join(tmpdir(), 'switchyard-demo-'));
  const accounts = demoAccounts();
  let upstream: SimulatedUpstream | null = null;
  let runtime: GatewayRuntime | null = null;
  try {
    upstream = await startSimulatedUpstream({
      accounts: accounts.map((account) => account.simulated),
      clock,
      latencyMs: { min: 120, max: 600 },
    });
    runtime = await GatewayRuntime.start({
      dataDir,
      host: '127.0.0.1',
      port: flags.port,
      secretKey: undefined,
      logger: createLogger({ level: flags.logLevel }),
      clock,
      ids: systemIds,
      shutdownTimeoutMs: 2000,
    });
    for (const account of accounts) {
      await runtime.stores.accounts.create(account.gatewayInput(upstream.url));
    }
  } catch (error) {
    await runtime?.stop();
    await upstream?.close();
    await rm(dataDir, { recursive: true, force: true });
    throw explainStartFailure(error, flags.port);
  }
  const traffic = flags.traffic ? startTraffic(runtime, { clock, rate: flags.rate }) : null;
  const stopSummaries = traffic
    ? clock.every(SUMMARY_INTERVAL_MS, summaryPrinter({ traffic, upstream, accounts }))
    : () => {};
  return { traffic, runtime, upstream, dataDir, accounts, stopSummaries };
}

function startTraffic(runtime: GatewayRuntime, options: { clock: Clock; rate: number }): DemoTraffic {
  return new DemoTraffic({
    gatewayUrl: `http://127.0.0.1:${runtime.address.port}`,
    apiKey: runtime.stores.config.get().proxy.api_key,
    clock: options.clock,
    requestsPerSecond: options.rate,
  });
}

function explainStartFailure(error: unknown, port: number): Error {
  const message = error instanceof Error ? error.message : String(error);
  if (message.includes('EADDRINUSE')) {
    return new Error(`port ${port} is in use (${message}); try: switchyard demo --port 0`);
  }
  return error instanceof Error ? error : new Error(message);
}

/** Stops the clients, then the gateway (letting requests in flight end), then the simulator; removes the data. */
async function stopDemo(session: DemoSession): Promise<void> {
  session.stopSummaries();
  try {
    await session.traffic?.stop();
    await session.runtime.stop();
    await session.upstream.close();
  } finally {
    await rm(session.dataDir, { recursive: true, force: true });
  }
}

function banner(session: DemoSession, flags: DemoFlags): string {
  const url = `http://127.0.0.1:${session.runtime.address.port}`;
  const apiKey = session.runtime.stores.config.get().proxy.api_key;
  const accounts = session.accounts
    .map(({ spec }) => {
      const failing = spec.failureRate > 0 ? `, fails ${Math.round(spec.failureRate * 100)} %` : '';
      return `${spec.email} ${spec.tier} ${spec.requestsPerMinute}/min${failing}`;
    })
    .join(' · ');
  const openai = DEMO_CONVERSATIONS.filter((conversation) => conversation.client === 'openai').length;
  const traffic = flags.traffic
    ? `${DEMO_CONVERSATIONS.length} conversations (${openai} OpenAI and ${DEMO_CONVERSATIONS.length - openai} Anthropic clients), ${flags.rate} request/s`
    : 'none (--no-traffic): send your own requests';
  return [
    'Switchyard demo: a gateway with four simulated accounts; no real key is used.',
    '',
    `  Web UI:              ${url}/  (sign in with the API key)`,
    `  API key:             ${apiKey}`,
    `  Proxy base URL:      ${url}  (OpenAI ${url}/v1, Anthropic ${url}, Gemini ${url}/v1beta)`,
    `  Simulated upstream:  ${session.upstream.url}`,
    `  Accounts:            ${accounts}`,
    `  Traffic:             ${traffic}`,
    `  Data directory:      ${session.dataDir}  (removed on exit)`,
    '',
    wrap(GUIDE, 100),
    '',
    'Press Ctrl-C to stop.',
    '',
  ].join('\n');
}

const GUIDE =
  'What to look at: open the Monitor. Every conversation keeps one session id (sid-…) and stays on one ' +
  'account while it can: a sticky session, which keeps that account’s prompt cache warm (watch the ' +
  'cache-read tokens grow). The accounts allow only a few requests a minute; when one answers 429 the ' +
  'gateway locks it for the Retry-After it sent and moves the same request to another account (attempts ' +
  '2, accounts tried), and the conversation is bound to its new account. Accounts shows each lock with a ' +
  'live countdown and the quota left in the minute; pro@demo also fails now and then with a 500 or 503, ' +
  'which the gateway retries elsewhere. On API Proxy, switch to Performance First to spread the traffic, ' +
  'pin a Fixed Account, or clear the bindings, and watch the Monitor follow.';

function wrap(text: string, width: number): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line.length > 0 && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line.length > 0 ? `${line} ${word}` : word;
  }
  return [...lines, line].join('\n');
}

/** Prints one line per interval: who served the clients, and what the simulated accounts refused. */
function summaryPrinter(options: {
  traffic: DemoTraffic;
  upstream: SimulatedUpstream;
  accounts: DemoAccount[];
}): () => void {
  let previous = options.upstream.stats();
  return () => {
    const counts = options.traffic.takeCounts();
    const current = options.upstream.stats();
    const refused = difference(current, previous);
    previous = current;
    process.stdout.write(`${summaryLine(counts, refused)}\n`);
  };
}

function difference(
  current: Record<string, SimulatedAccountStats>,
  previous: Record<string, SimulatedAccountStats>,
): { rateLimited: number; failed: number } {
  let rateLimited = 0;
  let failed = 0;
  for (const [name, stats] of Object.entries(current)) {
    rateLimited += stats.rateLimited - (previous[name]?.rateLimited ?? 0);
    failed += stats.failed - (previous[name]?.failed ?? 0);
  }
  return { rateLimited, failed };
}

function summaryLine(counts: DemoTrafficCounts, upstream: { rateLimited: number; failed: number }): string {
  const served = Object.entries(counts.servedBy)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([account, count]) => `${account} ${count}`)
    .join(', ');
  const failed = Object.values(counts.failedBy).reduce((sum, count) => sum + count, 0);
  const failures = Object.entries(counts.failedBy)
    .map(([status, count]) => `${count}× ${status === '0' ? 'no answer' : status}`)
    .join(', ');
  return (
    `[demo] last ${SUMMARY_INTERVAL_MS / 1000} s: ${counts.sent} requests; served by ${served || 'nobody'}; ` +
    `upstream refused ${upstream.rateLimited} (429) and failed ${upstream.failed} (5xx), ` +
    `${failed === 0 ? 'all absorbed by the gateway' : `clients saw ${failures}`}`
  );
}
