import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Account } from '../core/account.js';
import { keyAllowsModel } from '../core/client-key.js';
import type { Clock } from '../core/clock.js';
import { SwitchyardError } from '../core/errors.js';
import { headerValue } from '../core/headers.js';
import type { Gateway } from '../gateway/gateway.js';
import { clientProtocols } from '../protocols/registry.js';
import { type PoolModel, poolModels } from '../routing/index.js';
import { anthropicModelList, geminiModelList, openAIModelList } from './model-list-bodies.js';
import { type ProxyCall, proxyRoute, runProxyCall } from './routes-proxy.js';

export interface ProxyRouteDependencies {
  gateway: Gateway;
  clock: Clock;
  accounts: { list(): readonly Account[] };
}

/** The models the pool can serve (`poolModels`), less those the request's client key may not use. */
function modelsFor(request: FastifyRequest, deps: ProxyRouteDependencies): PoolModel[] {
  const models = poolModels({ accounts: deps.accounts.list(), routing: deps.gateway.routing() });
  const key = request.clientKey;
  return key === null ? models : models.filter((model) => keyAllowsModel(key, model.id));
}

const GEMINI_METHODS: Record<string, Omit<ProxyCall, 'model' | 'protocol'>> = {
  generateContent: { operation: 'generate', stream: false },
  streamGenerateContent: { operation: 'generate', stream: true },
  countTokens: { operation: 'count-tokens', stream: false },
};

/**
 * The client-facing endpoints of every protocol (its descriptor's, and Gemini's model paths), all
 * through the gateway's attempt loop.
 */
export function registerProxyRoutes(app: FastifyInstance, deps: ProxyRouteDependencies): void {
  const run =
    (call: ProxyCall) =>
    (
      request: Parameters<typeof runProxyCall>[0]['request'],
      reply: Parameters<typeof runProxyCall>[0]['reply'],
    ) =>
      runProxyCall({ gateway: deps.gateway, request, reply, call, now: deps.clock.now() });

  for (const protocol of clientProtocols()) {
    for (const { path, operation, stream } of protocol.endpoints) {
      const call: ProxyCall = { protocol: protocol.name, operation };
      if (stream !== undefined) call.stream = stream;
      app.post(path, proxyRoute(protocol.name), run(call));
    }
  }
  // Codex first tries the Responses API over a WebSocket; answering at once (not 101) makes it
  // fall back to plain POST without waiting.
  app.get('/v1/responses', proxyRoute('openai-responses'), async (_request, reply) =>
    reply.status(426).send({
      error: {
        message:
          'WebSocket transport is not supported here; send POST /v1/responses (HTTP streaming) instead',
        type: 'invalid_request_error',
        param: null,
        code: 'websocket_not_supported',
      },
    }),
  );

  // One path for two protocols: the Anthropic SDK (and Claude Code) always send `anthropic-version`.
  app.get('/v1/models', proxyRoute('openai-chat'), async (request) =>
    headerValue(request.headers, 'anthropic-version') === undefined
      ? openAIModelList(modelsFor(request, deps))
      : anthropicModelList(modelsFor(request, deps)),
  );
  app.get('/v1beta/models', proxyRoute('gemini'), async (request) =>
    geminiModelList(modelsFor(request, deps)),
  );

  app.post<{ Params: { '*': string } }>('/v1beta/models/*', proxyRoute('gemini'), async (request, reply) => {
    // The router has already decoded the path once; decoding again would turn `%25` into a URIError.
    const target = request.params['*'];
    const separator = target.lastIndexOf(':');
    const model = separator > 0 ? target.slice(0, separator) : '';
    const method = GEMINI_METHODS[target.slice(separator + 1)];
    if (!model || !method) {
      throw new SwitchyardError(
        'not_found',
        `Unsupported Gemini method in "${target}": use {model}:generateContent, :streamGenerateContent or :countTokens`,
      );
    }
    return runProxyCall({
      gateway: deps.gateway,
      request,
      reply,
      call: { protocol: 'gemini', model, ...method },
      now: deps.clock.now(),
    });
  });
}
