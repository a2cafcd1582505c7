import type { ConfigIssue, SwitchyardConfig } from '../config/schema.js';
import { effectiveAuthMode, isLoopbackHost } from './route-policy.js';

/**
 * The rule "no unauthenticated LAN access without the explicit flag": a gateway may listen on an
 * address other machines can reach with `auth_mode` in effect `off` only when started with
 * `--allow-unauthenticated`. One function decides it for every path: start-up, `PUT /api/config`
 * (the web UI included) and hand edits of `gui_config.json`.
 */
export interface ExposureOptions {
  /** `--host`: overrides the config's address while this process runs. */
  hostOverride?: string | undefined;
  /** `--allow-unauthenticated`. */
  allowUnauthenticated: boolean;
}

/** The address a config listens on: `proxy.host`, else 0.0.0.0 with `allow_lan_access`, else 127.0.0.1. */
export function configuredHost(config: Readonly<SwitchyardConfig>): string {
  return config.proxy.host ?? (config.proxy.allow_lan_access ? '0.0.0.0' : '127.0.0.1');
}

/** Whether a gateway on `host` with `authMode` may run, given the `--allow-unauthenticated` flag. */
export function mayListen(options: {
  host: string;
  authMode: SwitchyardConfig['proxy']['auth_mode'];
  allowUnauthenticated: boolean;
}): boolean {
  if (options.allowUnauthenticated || isLoopbackHost(options.host)) return true;
  return effectiveAuthMode(options.authMode, options.host) !== 'off';
}

/**
 * The problems of `config` under the exposure rule, as config issues at `proxy.auth_mode` naming
 * the fields involved; empty when it may run. Both the address this process listens on (`--host`
 * wins) and the config's own address are checked, so a saved file also starts without `--host`.
 */
export function exposureIssues(config: Readonly<SwitchyardConfig>, options: ExposureOptions): ConfigIssue[] {
  const authMode = config.proxy.auth_mode;
  const hosts = [
    { host: options.hostOverride, source: '--host' },
    { host: configuredHost(config), source: config.proxy.host ? 'proxy.host' : 'proxy.allow_lan_access' },
  ];
  for (const { host, source } of hosts) {
    if (host === undefined) continue;
    if (mayListen({ host, authMode, allowUnauthenticated: options.allowUnauthenticated })) continue;
    return [
      {
        path: 'proxy.auth_mode',
        message:
          `"off" while listening on ${host} (${source}) would let anyone on the network use your accounts ` +
          'without a key: choose "auto", "all_except_health" or "strict", listen on 127.0.0.1 only, ' +
          'or start with --allow-unauthenticated to accept the risk',
      },
    ];
  }
  return [];
}
