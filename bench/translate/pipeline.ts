/**
 * The synchronous work the gateway does with one request body before it goes upstream, as one
 * function: parse, session id, then either pass-through (model rewritten in the raw bytes) or
 * decode → canonical → provider encoding, and the upstream body serialized by the adapter.
 */
import type { ProviderKind } from '../../src/core/account.js';
import type { ClientProtocol } from '../../src/core/client-protocol.js';
import type { JsonObject } from '../../src/core/json.js';
import { clientProtocol } from '../../src/protocols/registry.js';
import { CodeAssistContext } from '../../src/providers/code-assist/code-assist-context.js';
import { createProviderRegistry } from '../../src/providers/registry.js';
import { testAccount } from '../../src/scheduler/test-account.js';
import { extractSessionId } from '../../src/session/index.js';

export { PROVIDER_KINDS } from '../../src/providers/provider-kinds.js';

const UPSTREAM_MODEL = 'upstream-model';

const providers = createProviderRegistry({ codeAssist: new CodeAssistContext() });

/** Whether `protocol` requests go to `provider` accounts untranslated. */
export function isPassThrough(protocol: ClientProtocol, provider: ProviderKind): boolean {
  return providers.get(provider)?.nativeProtocol === protocol;
}

/**
 * Runs one request body through the gateway's request path for a `provider` account; returns the
 * size of the upstream body (so the work cannot be optimized away) and the number of warnings.
 */
export function runRequestPath(options: { protocol: ClientProtocol; provider: ProviderKind; raw: Buffer }): {
  upstreamBytes: number;
  warnings: number;
} {
  const { protocol, provider, raw } = options;
  const adapter = providers.get(provider);
  if (!adapter) throw new Error(`no adapter for ${provider}`);
  const body = JSON.parse(raw.toString('utf8')) as JsonObject;
  const descriptor = clientProtocol(protocol);
  extractSessionId({ rule: descriptor.session, headers: {}, body });
  const account = testAccount('bench', { provider });
  const credential = { kind: 'api_key' as const, value: 'sk-bench' };
  const common = {
    account,
    credential,
    operation: 'generate' as const,
    model: UPSTREAM_MODEL,
    stream: false,
  };
  if (adapter.nativeProtocol === protocol) {
    const upstream = adapter.passThrough({ ...common, body, rawBody: raw, clientHeaders: {}, query: '' });
    return { upstreamBytes: upstream.body?.length ?? 0, warnings: 0 };
  }
  const { codec } = adapter;
  if (!codec) throw new Error(`no translation for ${provider}`);
  const decoded = descriptor.decode(body, { model: 'bench-model', stream: false });
  const converted = codec.convertRequest({ ...decoded.request, model: UPSTREAM_MODEL, stream: false });
  const upstream = adapter.passThrough({
    ...common,
    body: converted.value,
    rawBody: null,
    clientHeaders: {},
    query: '',
  });
  return {
    upstreamBytes: upstream.body?.length ?? 0,
    warnings: decoded.warnings.length + converted.warnings.length,
  };
}
