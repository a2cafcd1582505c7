import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import type { EnvironmentOverrides } from '../config/environment-overrides.js';
import type { ProviderKind } from '../core/account.js';
import { type Clock, systemClock } from '../core/clock.js';
import { SwitchyardError } from '../core/errors.js';
import { type IdSource, systemIds } from '../core/ids.js';
import { silentLogger } from '../observability/logger.js';
import { oauthClientsFromConfig } from '../providers/auth/oauth-clients.js';
import { httpOAuthEndpoints } from '../providers/auth/oauth-endpoints.js';
import { type CompletedLogin, type LoginCompletion, OAuthLogin } from '../providers/auth/oauth-login.js';
import { OAUTH_PROVIDER_KINDS, PROVIDER_KINDS } from '../providers/provider-kinds.js';
import { UpstreamClient } from '../providers/upstream-client.js';
import { configOverridesFromEnvironment } from './config-overrides-from-environment.js';
import { resolveDataDir } from './data-dir.js';
import { openStores } from './open-stores.js';

export interface RunLoginOptions {
  dataDir: string;
  secretKey: string | undefined;
  /** SWITCHYARD_DATABASE_URL. */
  databaseUrl?: string | undefined;
  /** Settings given by environment variables (`oauth.clients`, the upstream proxy…). */
  configOverrides?: EnvironmentOverrides;
  provider: ProviderKind;
  /** Loopback port for the browser callback; 0 picks a free one. */
  port: number;
  /** Where the user pastes a redirect URL or code (standard input). */
  input: NodeJS.ReadableStream;
  /** Where the instructions go (standard output). */
  output: NodeJS.WritableStream;
  clock: Clock;
  ids: IdSource;
}

function respond(response: ServerResponse, status: number, message: string): void {
  const html = `<!doctype html><meta charset="utf-8"><title>Switchyard</title><p style="font-family:system-ui">${message.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)}</p>`;
  response.writeHead(status, { 'content-type': 'text/html; charset=utf-8' }).end(html);
}

async function listen(server: Server, port: number): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return (server.address() as AddressInfo).port;
}

type Complete = (completion: LoginCompletion) => Promise<CompletedLogin>;

/** The loopback server the browser returns to: it completes the sign-in and answers with a small page. */
function callbackServer(complete: Complete, onDone: (done: CompletedLogin) => void): Server {
  return createServer((request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== '/auth/callback') return respond(response, 404, 'Not found');
    const query = url.searchParams;
    complete({
      state: query.get('state') ?? '',
      code: query.get('code') ?? undefined,
      error: query.get('error') ?? undefined,
    }).then(
      (done) => {
        // Answer the browser before the server is closed.
        respond(response, 200, `${done.account.email} is connected. You can close this tab.`);
        onDone(done);
      },
      (error: unknown) => respond(response, 400, `Sign-in failed: ${(error as Error).message}`),
    );
  });
}

/** Completes the sign-in with each pasted line (a redirect URL, or a code); reports failures and keeps reading. */
function readPastedLines(options: {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  state: string;
  complete: Complete;
  onDone: (done: CompletedLogin) => void;
}): () => void {
  const lines = createInterface({ input: options.input });
  lines.on('line', (line) => {
    const text = line.trim();
    if (!text) return;
    const completion = /^https?:\/\//i.test(text)
      ? { redirectUrl: text }
      : { code: text, state: options.state };
    options
      .complete(completion)
      .then(options.onDone, (error: unknown) =>
        options.output.write(`That did not work: ${(error as Error).message}\nTry again:\n`),
      );
  });
  return () => lines.close();
}

/**
 * `switchyard accounts login`: signs in with a browser and stores the account in the data
 * directory (a running gateway picks it up within a second). The browser comes back to a loopback
 * server started for the occasion; on a machine without one, the user pastes the URL the browser
 * ended on, or its code. Resolves with the stored account.
 */
export async function runLogin(options: RunLoginOptions): Promise<CompletedLogin> {
  const stores = await openStores({ ...options, logger: silentLogger() });
  const { upstream_proxy: proxy } = stores.config.get().proxy;
  const upstream = new UpstreamClient({ proxyUrl: proxy.enabled ? proxy.url : null });
  const login = new OAuthLogin({
    clients: () => oauthClientsFromConfig(stores.config.get().oauth.clients),
    endpoints: httpOAuthEndpoints(upstream),
    accounts: stores.accounts,
    clock: options.clock,
  });
  let finish: (outcome: { done: CompletedLogin } | { error: unknown }) => void = () => undefined;
  const finished = new Promise<{ done: CompletedLogin } | { error: unknown }>((resolve) => {
    finish = resolve;
  });
  const onDone = (done: CompletedLogin) => finish({ done });
  // `complete` throws at once for bad input; as a rejection it is reported like any other failure.
  const complete: Complete = (completion) => Promise.resolve().then(() => login.complete(completion));
  const server = callbackServer(complete, onDone);
  let stopReading: () => void = () => undefined;
  let cancelTimeout: () => void = () => undefined;
  try {
    const port = await listen(server, options.port);
    const redirectUri = `http://127.0.0.1:${port}/auth/callback`;
    const started = login.start({ provider: options.provider, redirectUri });
    options.output.write(
      `Open this URL in a browser and sign in:\n\n  ${started.authorizationUrl}\n\n` +
        `Waiting for the browser to return to ${redirectUri} ...\n` +
        'If the browser runs on another machine, paste the URL it ended on (or the code) here and press Enter:\n',
    );
    stopReading = readPastedLines({ ...options, state: started.state, complete, onDone });
    cancelTimeout = options.clock.after(started.expiresAt - options.clock.now(), () =>
      finish({ error: new SwitchyardError('invalid_request', 'The sign-in expired: run the command again') }),
    );
    const outcome = await finished;
    if ('error' in outcome) throw outcome.error;
    return outcome.done;
  } finally {
    cancelTimeout();
    stopReading();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await upstream.close();
    await stores.close();
  }
}

interface LoginFlags {
  dataDir?: string;
  json?: boolean;
  provider: string;
  port: string;
}

async function loginCommand(flags: LoginFlags): Promise<void> {
  if (!(PROVIDER_KINDS as readonly string[]).includes(flags.provider)) {
    throw new SwitchyardError('validation_failed', `--provider must be one of ${PROVIDER_KINDS.join(', ')}`);
  }
  const port = Number(flags.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new SwitchyardError('validation_failed', '--port must be a whole number from 0 to 65535');
  }
  const done = await runLogin({
    dataDir: resolveDataDir(flags.dataDir, process.env),
    secretKey: process.env['SWITCHYARD_SECRET_KEY'],
    databaseUrl: process.env['SWITCHYARD_DATABASE_URL'],
    configOverrides: configOverridesFromEnvironment(process.env),
    provider: flags.provider as ProviderKind,
    port,
    input: process.stdin,
    output: process.stderr,
    clock: systemClock,
    ids: systemIds,
  });
  const { account, created } = done;
  process.stdout.write(
    flags.json
      ? `${JSON.stringify({ id: account.id, email: account.email, provider: account.provider, created })}\n`
      : `${created ? 'Added' : 'Re-authorized'} ${account.provider} account ${account.email} (${account.id})\n`,
  );
}

/** Registers `accounts login` under the `accounts` command; `common` adds --data-dir and --json. */
export function registerLoginCommand(accounts: Command, common: (command: Command) => Command): void {
  common(
    accounts
      .command('login')
      .description('Add (or re-authorize) an OAuth account by signing in with a browser'),
  )
    .option(
      '--provider <kind>',
      `provider whose OAuth client signs in: ${OAUTH_PROVIDER_KINDS.join(' | ')} (oauth.clients in gui_config.json)`,
      'code-assist',
    )
    .option('--port <port>', 'loopback port the browser returns to (default: a free one)', '0')
    .action((flags: LoginFlags) => loginCommand(flags));
}
