import type { FastifyInstance } from 'fastify';
import type { RoutePolicy } from './route-policy.js';

/** Content type of the Prometheus text exposition format. */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** What `GET /metrics` needs: something that renders the exposition text (`Metrics`). */
export interface MetricsRouteDependencies {
  metrics: { render(): Promise<string> };
}

/** `GET /metrics` for Prometheus, behind the proxy auth policy (a scraper sends the proxy API key). */
export function registerMetricsRoute(app: FastifyInstance, deps: MetricsRouteDependencies): void {
  const policy: RoutePolicy = { dialect: 'openai', auth: 'proxy' };
  app.get('/metrics', { config: { policy } }, async (_request, reply) => {
    const text = await deps.metrics.render();
    return reply.header('content-type', PROMETHEUS_CONTENT_TYPE).send(text);
  });
}
