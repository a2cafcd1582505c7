import type { ProviderKind } from '../core/account.js';
import type { ClientProtocol, Operation } from '../core/client-protocol.js';
import type { ProviderAdapter } from './provider-adapter.js';
import type { AdapterFactory, ProviderContext } from './provider-descriptor.js';
import { PROVIDERS } from './provider-kinds.js';

export type { ProviderContext } from './provider-descriptor.js';

/** How to build each listed kind's adapter, its module loaded once when this module is first imported. */
const ADAPTER_FACTORIES: readonly AdapterFactory[] = await Promise.all(
  PROVIDERS.map((provider) => provider.loadAdapter()),
);

/** Every provider the gateway can send requests to: an adapter for each kind of `provider-kinds.ts`. */
export function createProviderRegistry(context: ProviderContext): ProviderRegistry {
  return new ProviderRegistry(ADAPTER_FACTORIES.map((create) => create(context)));
}

/**
 * The adapters of one gateway, by provider kind, and which kinds can serve a request. Built by the
 * composition root and handed to the gateway (`GatewayDependencies.providers`); never changes.
 */
export class ProviderRegistry {
  private readonly byKind = new Map<ProviderKind, ProviderAdapter>();
  private readonly serving = new Map<string, ReadonlySet<ProviderKind>>();

  constructor(adapters: readonly ProviderAdapter[]) {
    for (const adapter of adapters) {
      if (this.byKind.has(adapter.kind)) throw new Error(`two adapters for provider kind ${adapter.kind}`);
      this.byKind.set(adapter.kind, adapter);
    }
  }

  /** The adapter of a provider kind; undefined when this gateway cannot send to it. */
  get(kind: ProviderKind): ProviderAdapter | undefined {
    return this.byKind.get(kind);
  }

  all(): readonly ProviderAdapter[] {
    return [...this.byKind.values()];
  }

  /** Provider kinds that serve `protocol` without translation. */
  passThroughKinds(protocol: ClientProtocol): ReadonlySet<ProviderKind> {
    return this.kinds(`pass-through ${protocol}`, (adapter) => adapter.nativeProtocol === protocol);
  }

  /**
   * Provider kinds that can serve a request: those of its own protocol, and for `generate` those
   * with a codec (requests are translated for them); count-tokens is never translated.
   */
  servingKinds(request: { protocol: ClientProtocol; operation: Operation }): ReadonlySet<ProviderKind> {
    const { protocol, operation } = request;
    return this.kinds(
      `${operation} ${protocol}`,
      (adapter) =>
        adapter.nativeProtocol === protocol || (operation === 'generate' && adapter.codec !== undefined),
    );
  }

  /** The kinds whose adapter passes `test`, computed once per key (the adapters never change). */
  private kinds(key: string, test: (adapter: ProviderAdapter) => boolean): ReadonlySet<ProviderKind> {
    let kinds = this.serving.get(key);
    if (!kinds) {
      kinds = new Set([...this.byKind.values()].filter(test).map((adapter) => adapter.kind));
      this.serving.set(key, kinds);
    }
    return kinds;
  }
}
