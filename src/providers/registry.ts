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
  // Computed once per protocol (the adapters never change): looked up on every request, so keyed
  // by the protocol itself rather than by a string built per call.
  private readonly native = new Map<ClientProtocol, ReadonlySet<ProviderKind>>();
  private readonly generating = new Map<ClientProtocol, ReadonlySet<ProviderKind>>();

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
    let kinds = this.native.get(protocol);
    if (!kinds) {
      kinds = this.kindsWhere((adapter) => adapter.nativeProtocol === protocol);
      this.native.set(protocol, kinds);
    }
    return kinds;
  }

  /**
   * Provider kinds that can serve a request: those of its own protocol, and for `generate` those
   * with a codec (requests are translated for them); count-tokens is never translated.
   */
  servingKinds(request: { protocol: ClientProtocol; operation: Operation }): ReadonlySet<ProviderKind> {
    const { protocol, operation } = request;
    if (operation !== 'generate') return this.passThroughKinds(protocol);
    let kinds = this.generating.get(protocol);
    if (!kinds) {
      kinds = this.kindsWhere(
        (adapter) => adapter.nativeProtocol === protocol || adapter.codec !== undefined,
      );
      this.generating.set(protocol, kinds);
    }
    return kinds;
  }

  private kindsWhere(test: (adapter: ProviderAdapter) => boolean): ReadonlySet<ProviderKind> {
    return new Set([...this.byKind.values()].filter(test).map((adapter) => adapter.kind));
  }
}
