import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { Metrics } from '../observability/metrics.js';
import { sampleRequestLogEntry } from '../observability/sample-request-log-entry.js';
import { PROMETHEUS_CONTENT_TYPE, registerMetricsRoute } from './metrics-route.js';
import type { RoutePolicy } from './route-policy.js';

describe('GET /metrics', () => {
  it('serves the exposition text as text/plain version 0.0.4 under the proxy auth policy', async () => {
    const metrics = new Metrics({ gauges: { sessionBindings: () => 2 } });
    metrics.record(sampleRequestLogEntry());
    const app = Fastify({ logger: false });
    const policies: (RoutePolicy | undefined)[] = [];
    app.addHook('preHandler', async (request) => {
      policies.push(request.routeOptions.config.policy);
    });
    registerMetricsRoute(app, { metrics });

    const response = await app.inject({ method: 'GET', url: '/metrics' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe(PROMETHEUS_CONTENT_TYPE);
    expect(PROMETHEUS_CONTENT_TYPE).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(response.body).toContain(
      'switchyard_requests_total{protocol="openai-chat",status="200",account="one@example.com"} 1\n',
    );
    expect(response.body).toContain('switchyard_session_bindings 2\n');
    expect(policies).toEqual([{ dialect: 'openai', auth: 'proxy' }]);
    await app.close();
  });
});
