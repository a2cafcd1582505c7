import { isIP } from 'node:net';
import { hostname, networkInterfaces } from 'node:os';
import type { FastifyInstance } from 'fastify';
import { SwitchyardError } from '../core/errors.js';
import { isLoopbackHost } from './route-policy.js';

/**
 * Protection against DNS rebinding. A web page on another origin can make a browser send requests
 * to `127.0.0.1` under its own name (`attacker.example`, re-resolved to 127.0.0.1) and read the
 * answers; with `auth_mode: auto` on loopback nothing else would stop it. Every request must
 * therefore name this gateway in its `Host` header:
 * - any loopback form (`127.0.0.1`, `localhost`, `[::1]`), always;
 * - the address the gateway is bound to;
 * - when bound to `0.0.0.0`, `::` or a LAN address: any address of this machine, and its host name;
 * - a name listed in `proxy.allowed_hosts` (`"*"` turns the check off, e.g. behind a reverse proxy).
 * The port is not compared. A request without `Host` (HTTP/1.0) passes: browsers always send one.
 */
export interface HostCheck {
  /** The `Host` header as received. */
  host: string | undefined;
  /** The address the gateway listens on, or null before it listens. */
  boundHost: string | null;
  /** `proxy.allowed_hosts`. */
  allowedHosts: readonly string[];
  /** This machine's addresses and host name, asked only when needed. Default: from `node:os`. */
  machineNames?: () => Iterable<string>;
}

/** Whether a request naming `host` may be served (see the rules above). */
export function isAllowedHost(check: HostCheck): boolean {
  if (check.host === undefined) return true;
  const name = hostnameOf(check.host);
  if (name === null) return false;
  if (isLoopbackHost(name)) return true;
  for (const allowed of check.allowedHosts) {
    const entry = allowed.trim().toLowerCase().replace(/\.$/, '');
    if (entry === '*' || entry === name) return true;
  }
  const bound = check.boundHost === null ? null : hostnameOf(check.boundHost);
  if (bound === null || isLoopbackHost(bound)) return false;
  if (name === bound) return true;
  for (const own of (check.machineNames ?? ownNames)()) if (own.toLowerCase() === name) return true;
  return false;
}

/**
 * The host name of a `Host` header, lower-cased, without port, IPv6 brackets or a final dot;
 * null when it is not a plausible host (a DNS name or an IP address).
 */
export function hostnameOf(header: string): string | null {
  const value = header.trim().toLowerCase();
  let name: string;
  if (value.startsWith('[')) {
    const end = value.indexOf(']');
    if (end < 0) return null;
    name = value.slice(1, end);
    return isIP(name) === 6 ? name : null;
  }
  if (isIP(value) === 6) return value;
  const colon = value.indexOf(':');
  name = colon >= 0 ? value.slice(0, colon) : value;
  if (name.endsWith('.')) name = name.slice(0, -1);
  return /^[a-z0-9_-]+(\.[a-z0-9_-]+)*$/.test(name) ? name : null;
}

function ownNames(): string[] {
  const names = [hostname()];
  for (const addresses of Object.values(networkInterfaces())) {
    for (const address of addresses ?? []) names.push(address.address);
  }
  return names;
}

export interface HostGuardDependencies {
  boundHost: () => string | null;
  allowedHosts: () => readonly string[];
}

/**
 * The last `Host` allowed, with the settings it was allowed under: clients send the same header on
 * every request, so the common request costs three comparisons instead of parsing the header.
 */
interface AllowedHostMemo {
  host: string | undefined;
  boundHost: string | null;
  allowedHosts: readonly string[];
}

/** Refuses, on every route, a request whose `Host` does not name this gateway: 403 in the route's shape. */
export function registerHostGuard(app: FastifyInstance, deps: HostGuardDependencies): void {
  let memo: AllowedHostMemo | null = null;
  app.addHook('onRequest', (request, _reply, done) => {
    const host = request.headers.host;
    const check = { host, boundHost: deps.boundHost(), allowedHosts: deps.allowedHosts() };
    if (
      memo !== null &&
      memo.host === check.host &&
      memo.boundHost === check.boundHost &&
      memo.allowedHosts === check.allowedHosts
    ) {
      return done();
    }
    if (isAllowedHost(check)) {
      memo = check;
      return done();
    }
    const shown = String(host).slice(0, 100);
    done(
      new SwitchyardError(
        'forbidden',
        `Host "${shown}" is not an address of this gateway. Call it by its address (for example ` +
          '127.0.0.1), or add the name to proxy.allowed_hosts; other names are refused against DNS rebinding.',
      ),
    );
  });
}
