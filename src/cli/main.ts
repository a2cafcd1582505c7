import { Command, InvalidArgumentError } from 'commander';
import { systemClock } from '../core/clock.js';
import { systemIds } from '../core/ids.js';
import { VERSION } from '../core/version.js';
import { createLogger } from '../observability/logger.js';
import { effectiveAuthMode } from '../server/route-policy.js';
import type { StateHealth } from '../state/state-store.js';
import { registerAccountCommands } from './accounts-command.js';
import { registerTransferCommands } from './accounts-transfer-command.js';
import { configOverridesFromEnvironment } from './config-overrides-from-environment.js';
import { resolveDataDir } from './data-dir.js';
import { registerDemoCommand } from './demo-command.js';
import { GatewayRuntime } from './gateway-runtime.js';
import { registerKeyCommands } from './keys-command.js';
import { registerOAuthCommands } from './oauth-command.js';
import { registerStoreCommands } from './store-command.js';
import { registerUsageCommand } from './usage-command.js';

function portNumber(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new InvalidArgumentError('must be a whole number from 0 to 65535 (0 picks a free port)');
  }
  return port;
}

/** Prints the error the user must act on and exits non-zero. */
export function fail(error: unknown): never {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`switchyard: ${message}\n`);
  process.exit(1);
}

/** The banner's account of who may use the proxy, by the auth mode in force. */
const AUTH_DESCRIPTIONS = {
  off: 'off (no API key needed)',
  all_except_health: 'all_except_health (every route needs the API key, /healthz is open)',
  strict: 'strict (every route needs the API key)',
} as const;

interface StartFlags {
  dataDir?: string;
  host?: string;
  port?: number;
  allowUnauthenticated?: boolean;
  allowDegradedStart?: boolean;
  logLevel: string;
  shutdownTimeout: string;
}

async function startCommand(flags: StartFlags): Promise<void> {
  const logger = createLogger({ level: flags.logLevel });
  const dataDir = resolveDataDir(flags.dataDir, process.env);
  const configOverrides = configOverridesFromEnvironment(process.env, logger);
  const runtime = await GatewayRuntime.start({
    dataDir,
    configOverrides,
    host: flags.host,
    port: flags.port,
    allowUnauthenticated: flags.allowUnauthenticated ?? false,
    allowDegradedStart: flags.allowDegradedStart ?? false,
    secretKey: process.env['SWITCHYARD_SECRET_KEY'],
    databaseUrl: process.env['SWITCHYARD_DATABASE_URL'],
    redisUrl: process.env['SWITCHYARD_REDIS_URL'],
    logger,
    clock: systemClock,
    ids: systemIds,
    shutdownTimeoutMs: Number(flags.shutdownTimeout) * 1000,
  });
  // Handlers go in before the banner: whoever reads it may signal at once.
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) process.exit(130);
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing in-flight requests');
    runtime.stop().then(
      () => process.exit(0),
      (error: unknown) => fail(error),
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  const { host, port } = runtime.address;
  const shownHost =
    host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  const url = `http://${shownHost}:${port}`;
  const config = runtime.stores.config.get();
  process.stdout.write(
    [
      `Switchyard ${VERSION} is listening on ${host}:${port}`,
      `  Proxy base URL:  ${url}  (OpenAI ${url}/v1, Anthropic ${url}, Gemini ${url}/v1beta)`,
      `  Admin API / UI:  ${url}/  (admin login: ${config.proxy.admin_password ? 'the admin password' : 'the API key'})`,
      `  API key:         ${config.proxy.api_key}`,
      `  Proxy auth:      ${AUTH_DESCRIPTIONS[effectiveAuthMode(config.proxy.auth_mode, host)]}`,
      `  Config file:     ${runtime.stores.paths.configPath}`,
      `  Data directory:  ${dataDir}`,
      `  Store:           ${runtime.stores.database.backend} ${runtime.stores.database.location}${runtime.stores.database.health.writable ? '' : ' (DOES NOT ANSWER: serving from memory, admin changes refused until it does)'}`,
      `  State:           ${describeState(runtime.services.state.health())}`,
      `  Accounts:        ${runtime.stores.accounts.list().length}`,
      `  Client keys:     ${runtime.stores.keys.list().filter((key) => key.revokedAt === null).length} active (switchyard keys list)`,
      'Press Ctrl-C to stop.',
      '',
    ].join('\n'),
  );
}

/** The banner's line about the scheduling state: backend, where, and whether it is degraded. */
function describeState(health: StateHealth): string {
  const degraded = health.degraded ? ` (DEGRADED, serving on local state: ${health.reason})` : '';
  return `${health.backend} ${health.location}${degraded}`;
}

/** Builds the command tree; `main` parses argv with it. */
export function buildProgram(): Command {
  const program = new Command('switchyard')
    .description(
      'A local AI gateway that pools many accounts behind one OpenAI, Anthropic and Gemini endpoint.',
    )
    .version(VERSION)
    .showHelpAfterError('(run with --help for usage)');

  program
    .command('start', { isDefault: true })
    .description('Run the gateway (proxy endpoints, admin API and UI) until Ctrl-C')
    .option('--data-dir <dir>', 'data directory (default: $SWITCHYARD_HOME or ~/.switchyard)')
    .option(
      '--host <address>',
      'address to listen on (default: 127.0.0.1, or 0.0.0.0 with proxy.allow_lan_access)',
    )
    .option('--port <port>', 'port to listen on (default: proxy.port from gui_config.json, 8045)', portNumber)
    .option('--allow-unauthenticated', 'allow a non-loopback address while proxy.auth_mode is "off"')
    .option(
      '--allow-degraded-start',
      'start even when the PostgreSQL store or the Redis state does not answer: serve from memory and connect when it answers (default: exit with an error)',
    )
    .option('--log-level <level>', 'log level: fatal, error, warn, info, debug, trace', 'info')
    .option('--shutdown-timeout <seconds>', 'how long Ctrl-C waits for in-flight requests', '10')
    .action((flags: StartFlags) => startCommand(flags).catch(fail));

  registerTransferCommands(registerAccountCommands(program));
  registerOAuthCommands(program);
  registerKeyCommands(program);
  registerUsageCommand(program);
  registerDemoCommand(program);
  registerStoreCommands(program);
  return program;
}

/** Runs the command in `argv`; any failure is printed as one clear line and exits non-zero. */
export async function main(argv: string[]): Promise<void> {
  await buildProgram()
    .parseAsync(argv, { from: 'user' })
    .catch((error: unknown) => fail(error));
}
