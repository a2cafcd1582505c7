import type { FastifyInstance } from 'fastify';
import type { ConfigChangeEvent } from '../config/config-store.js';
import type { EnvironmentOverrides } from '../config/environment-overrides.js';
import type { SwitchyardConfig } from '../config/schema.js';
import type { Clock } from '../core/clock.js';
import type { IdSource } from '../core/ids.js';
import type { Logger } from '../observability/logger.js';
import type { AppDependencies, RuntimeInfo } from '../server/app-dependencies.js';
import { createApp } from '../server/create-app.js';
import { configuredHost, exposureIssues, mayListen } from '../server/exposure-policy.js';
import { isStoreUnreachableError } from '../store/store-unreachable.js';
import { composeGateway, type GatewayServices } from './compose-gateway.js';
import { type OpenStores, openStores } from './open-stores.js';

export interface GatewayOptions {
  dataDir: string;
  /** `--host`: overrides the config and disables re-listening on config host changes. */
  host?: string | undefined;
  /** `--port`: overrides the config and disables re-listening on config port changes. */
  port?: number | undefined;
  /** Allows binding a non-loopback address with `auth_mode: off`. */
  allowUnauthenticated?: boolean;
  secretKey: string | undefined;
  /** SWITCHYARD_DATABASE_URL: the PostgreSQL store's URL, winning over `store.postgres_url`. */
  databaseUrl?: string | undefined;
  /** SWITCHYARD_REDIS_URL: the shared state's Redis, winning over `state.redis_url`. */
  redisUrl?: string | undefined;
  /** `--allow-degraded-start`: start serving even when the PostgreSQL store or Redis does not answer yet. */
  allowDegradedStart?: boolean | undefined;
  /** Settings given by environment variables: they win over gui_config.json (see ConfigStoreOptions). */
  configOverrides?: EnvironmentOverrides;
  logger: Logger;
  clock: Clock;
  ids: IdSource;
  /** How long shutdown waits for in-flight requests before closing their connections. */
  shutdownTimeoutMs?: number;
}

const LISTEN_KEYS = ['proxy.port', 'proxy.host', 'proxy.allow_lan_access'];

/** The running gateway: stores, HTTP app, listener, and the hot re-listen on host/port changes. */
export class GatewayRuntime {
  private app: FastifyInstance | null = null;
  private bound: { host: string; port: number } | null = null;
  private lastListenError: string | null = null;
  private readonly unsubscribe: () => void;

  private constructor(
    private readonly options: GatewayOptions,
    readonly stores: OpenStores,
    readonly services: GatewayServices,
  ) {
    this.unsubscribe = stores.config.subscribe((event) => this.onConfigChange(event));
  }

  static async start(options: GatewayOptions): Promise<GatewayRuntime> {
    const exposure = {
      hostOverride: options.host,
      allowUnauthenticated: options.allowUnauthenticated ?? false,
    };
    // A config that would expose the accounts without a key is refused at start, on update and on hand edits.
    const stores = await openStores({
      ...options,
      validateConfig: (config) => exposureIssues(config, exposure),
    }).catch((error: unknown) => {
      if (!isStoreUnreachableError(error)) throw error;
      throw new Error(
        `${(error as Error).message}. Start with --allow-degraded-start to serve from memory until it answers.`,
        { cause: error },
      );
    });
    let services: GatewayServices;
    try {
      services = await composeGateway({
        ...stores,
        db: stores.database.db,
        health: stores.database.health,
        clock: options.clock,
        ids: options.ids,
        logger: options.logger,
        redisUrl: options.redisUrl,
        allowDegradedStart: options.allowDegradedStart,
      });
    } catch (error) {
      await stores.close();
      throw error;
    }
    const runtime = new GatewayRuntime(options, stores, services);
    try {
      await runtime.listen(stores.config.get());
    } catch (error) {
      await runtime.stop();
      throw error;
    }
    runtime.watchStoreHealth();
    stores.config.startWatching();
    stores.accounts.startWatching(1000);
    stores.keys.startWatching(1000);
    return runtime;
  }

  /** Logs each change of the store's reachability once (not once per request), and starts its probes. */
  private watchStoreHealth(): void {
    const { logger } = this.options;
    const { health } = this.stores.database;
    health.subscribe((status) => {
      if (status.degraded)
        logger.warn(
          { store: status.backend, location: status.location, reason: status.reason },
          'the store database does not answer: serving from memory, holding bookkeeping writes, refusing admin changes (503)',
        );
      else
        logger.info({ store: status.backend, location: status.location }, 'the store database answers again');
    });
    health.start();
  }

  get address(): { host: string; port: number } {
    if (!this.bound) throw new Error('gateway is not listening');
    return this.bound;
  }

  private target(config: SwitchyardConfig): { host: string; port: number } {
    return {
      host: this.options.host ?? configuredHost(config),
      port: this.options.port ?? config.proxy.port,
    };
  }

  private dependencies(): AppDependencies {
    const runtime: RuntimeInfo = {
      dataDir: this.stores.paths.dataDir,
      configPath: this.stores.paths.configPath,
      boundAddress: () => this.bound,
      listenError: () => this.lastListenError,
    };
    const { logger, clock, ids } = this.options;
    const { gateway, scheduler, limits, observability, accountServices, keys, storeReport } = this.services;
    const { config, accounts } = this.stores;
    return {
      config,
      accounts,
      logger,
      clock,
      ids,
      runtime,
      gateway,
      scheduler,
      stateHealth: () => this.services.state.health(),
      limits,
      observability,
      accountServices,
      keys,
      storeHealth: storeReport,
      storeReads: this.stores.database.health,
    };
  }

  /** The same rule as the config validation, applied to the address actually listened on. */
  private checkExposure(config: SwitchyardConfig, host: string): void {
    const authMode = config.proxy.auth_mode;
    if (mayListen({ host, authMode, allowUnauthenticated: false })) return;
    if (!this.options.allowUnauthenticated) {
      throw new Error(
        `Refusing to listen on ${host} with proxy.auth_mode "off": anyone on the network could use your accounts. ` +
          'Set auth_mode to "auto" or "all_except_health", or pass --allow-unauthenticated to accept the risk.',
      );
    }
    this.options.logger.warn({ host }, 'listening on a non-loopback address with authentication off');
  }

  private async listen(config: SwitchyardConfig): Promise<void> {
    const { host, port } = this.target(config);
    this.checkExposure(config, host);
    const app = await createApp(this.dependencies());
    const previous = this.app;
    const previousBound = this.bound;
    // A new host on the same port cannot be bound while the old socket holds the port.
    const releaseFirst = previous !== null && previousBound?.port === port;
    if (releaseFirst) await previous.close();
    try {
      // Reported before listen so the app resolves `auto` auth against the new address.
      this.bound = { host, port };
      await app.listen({ host, port });
    } catch (error) {
      this.bound = previousBound;
      await app.close();
      if (releaseFirst && previousBound) await this.rebind(previousBound);
      throw error;
    }
    const address = app.server.address();
    this.bound = { host, port: typeof address === 'object' && address ? address.port : port };
    this.app = app;
    this.lastListenError = null;
    if (previous && !releaseFirst) await previous.close();
  }

  /** Listens again on the old address after a failed move (the old app cannot listen twice). */
  private async rebind(address: { host: string; port: number }): Promise<void> {
    const app = await createApp(this.dependencies());
    await app.listen(address);
    this.app = app;
  }

  private onConfigChange(event: ConfigChangeEvent): void {
    if (event.changed.some((path) => path === 'store' || path.startsWith('store.'))) {
      this.options.logger.warn('store settings changed: they apply at the next start of this instance');
    }
    if (!event.changed.some((path) => LISTEN_KEYS.includes(path))) return;
    const next = this.target(event.current);
    const previous = this.target(event.previous);
    // Under a --host/--port override the target never moves; `--port 0` must not re-listen on a new random port.
    if (next.host === previous.host && next.port === previous.port) return;
    if (this.bound && next.host === this.bound.host && next.port === this.bound.port) return;
    this.listen(event.current).then(
      () => this.options.logger.info(this.bound ?? {}, 'listening on the new address'),
      (error: Error) => {
        this.lastListenError = error.message;
        this.options.logger.error(
          { err: error.message, ...next },
          'could not listen on the new address; kept the old one',
        );
      },
    );
  }

  /** Stops accepting, lets in-flight requests finish (up to the timeout), then flushes and closes stores. */
  async stop(): Promise<void> {
    this.unsubscribe();
    const app = this.app;
    this.app = null;
    if (app) {
      const timeoutMs = this.options.shutdownTimeoutMs ?? 10_000;
      const cancel = this.options.clock.after(timeoutMs, () => app.server.closeAllConnections());
      // A keep-alive connection whose request finishes during the drain would otherwise stay open
      // until the timeout: close each one as soon as it goes idle.
      const stopReaping = this.options.clock.every(50, () => app.server.closeIdleConnections());
      await app.close();
      stopReaping();
      cancel();
    }
    this.bound = null;
    await this.services.close();
    await this.stores.close();
  }
}
