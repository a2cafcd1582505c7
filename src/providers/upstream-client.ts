import { Agent, type Dispatcher, ProxyAgent } from 'undici';
import type { UpstreamRequest } from './provider-adapter.js';
import { type DispatchedAnswer, DispatchedRequest } from './upstream-body.js';

/** Statuses after which an equivalent endpoint is tried (never 429: that is the account's limit). */
const FALL_THROUGH = (status: number) => status === 404 || status === 408 || status >= 500;

/**
 * The proxy URL as undici's `ProxyAgent` takes it. undici knows `socks5:` (and `socks:`) only, and
 * its SOCKS5 client already hands host names to the proxy to resolve — what `socks5h:` asks for —
 * so `socks5h:` becomes `socks5:`; every other scheme passes as is.
 */
export function undiciProxyUri(proxyUrl: string): string {
  return proxyUrl.replace(/^socks5h:/i, 'socks5:');
}

/** Where a URL is sent: its origin and its path with the query, as undici's dispatchers take them. */
interface UrlTarget {
  origin: string;
  path: string;
}

/** Parsed upstream URLs kept; the gateway sends to a handful (each account's endpoints). */
const URL_TARGETS_KEPT = 256;

/**
 * The upstream URLs parsed once each instead of on every request (undici's top-level `request`
 * builds a `URL` and copies the options for every call: CPU and garbage per request). Emptied when
 * it outgrows `URL_TARGETS_KEPT`, so URLs carrying per-request parts cannot grow it without bound.
 */
const urlTargets = new Map<string, UrlTarget>();

function urlTarget(url: string): UrlTarget {
  let target = urlTargets.get(url);
  if (target === undefined) {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw new TypeError(`Upstream URL must start with http: or https: (${parsed.protocol})`);
    }
    target = { origin: parsed.origin, path: `${parsed.pathname}${parsed.search}` };
    if (urlTargets.size >= URL_TARGETS_KEPT) urlTargets.clear();
    urlTargets.set(url, target);
  }
  return target;
}

/** An upstream answer whose body has not been read yet (`UpstreamBody`: read it once). */
export type UpstreamResponse = DispatchedAnswer;

/**
 * What cancels an upstream call: an `AbortSignal`, or any object with its abort surface (undici
 * accepts any object with `addEventListener`; the gateway uses a lighter one per attempt).
 */
export interface CancelSignal {
  readonly aborted: boolean;
  readonly reason: unknown;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

export interface SendOptions {
  signal: CancelSignal;
  /** Time allowed until the response headers arrive. */
  headersTimeoutMs: number;
  /** Time allowed between two body chunks. */
  bodyTimeoutMs: number;
}

export interface UpstreamClientOptions {
  /**
   * Proxy every upstream call goes through (`http://`, `https://`, `socks5://`, `socks5h://`,
   * `socks://`; see `UPSTREAM_PROXY_SCHEMES`); null for direct.
   */
  proxyUrl?: string | null;
  /** Keep-alive connections per upstream origin. */
  connectionsPerOrigin?: number;
}

/**
 * All upstream HTTP goes through here: undici with keep-alive connection pools per origin (not the
 * global fetch), optionally through an upstream proxy, swappable at runtime when the config changes.
 */
export class UpstreamClient {
  private dispatcher: Dispatcher;

  constructor(private options: UpstreamClientOptions = {}) {
    this.dispatcher = UpstreamClient.createDispatcher(options);
  }

  private static createDispatcher(options: UpstreamClientOptions): Dispatcher {
    const common = {
      keepAliveTimeout: 30_000,
      keepAliveMaxTimeout: 600_000,
      connections: options.connectionsPerOrigin ?? 256,
    };
    if (options.proxyUrl) return new ProxyAgent({ uri: undiciProxyUri(options.proxyUrl), ...common });
    return new Agent(common);
  }

  /** Switches to a new proxy setting; requests in flight finish on the old pool. */
  reconfigure(options: UpstreamClientOptions): void {
    if (options.proxyUrl === this.options.proxyUrl) return;
    const previous = this.dispatcher;
    this.options = options;
    this.dispatcher = UpstreamClient.createDispatcher(options);
    previous.close().catch(() => undefined);
  }

  /**
   * Sends the request; with `fallbackUrls`, moves to the next URL when one answers 404, 408 or 5xx
   * or cannot be reached, and returns the last answer (or throws the last error) when all fail.
   */
  async send(upstream: UpstreamRequest, options: SendOptions): Promise<UpstreamResponse> {
    const urls = [upstream.url, ...(upstream.fallbackUrls ?? [])];
    for (let index = 0; ; index++) {
      const last = index === urls.length - 1;
      const url = urls[index] ?? upstream.url;
      let response: UpstreamResponse;
      try {
        response = await this.sendOnce(url, upstream, options);
      } catch (error) {
        if (last || options.signal.aborted) throw error;
        continue;
      }
      if (last || !FALL_THROUGH(response.status)) return response;
      await response.body.dump().catch(() => undefined);
    }
  }

  private async sendOnce(
    url: string,
    upstream: UpstreamRequest,
    options: SendOptions,
  ): Promise<UpstreamResponse> {
    const { origin, path } = urlTarget(url);
    // undici's dispatch with a handler of our own rather than `request()`: no Readable stream per
    // answer (see UpstreamBody).
    return new Promise<UpstreamResponse>((resolve, reject) => {
      const handler = new DispatchedRequest(options.signal, resolve, reject);
      try {
        this.dispatcher.dispatch(
          {
            origin,
            path,
            method: upstream.method as Dispatcher.HttpMethod,
            headers: upstream.headers,
            body: upstream.body ?? null,
            headersTimeout: options.headersTimeoutMs,
            bodyTimeout: options.bodyTimeoutMs,
          },
          handler,
        );
      } catch (error) {
        handler.onError(error as Error);
      }
    });
  }

  async close(): Promise<void> {
    await this.dispatcher.close();
  }
}
