/** API Proxy: the service, scheduling and rotation, the model router and client snippets. */
import { useGatewayData } from '../../hooks/gateway-data.js';
import { ModelRouterCard } from './model-router-card.js';
import { SchedulingCard } from './scheduling-card.js';
import { ServiceCard } from './service-card.js';
import { SnippetsCard } from './snippets-card.js';

export function ProxyPage() {
  const { status, config } = useGatewayData();
  return (
    <section aria-labelledby="proxy-title">
      <div className="page-header">
        <h1 id="proxy-title">API Proxy</h1>
      </div>
      {!status || !config ? (
        <p className="muted">Loading…</p>
      ) : (
        <div className="card-grid">
          <ServiceCard status={status} config={config} />
          <SchedulingCard />
          <ModelRouterCard />
          <SnippetsCard status={status} config={config} />
        </div>
      )}
    </section>
  );
}
