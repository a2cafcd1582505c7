/** Header with navigation, theme toggle and sign-out; the current page below it. */
import type { MouseEvent } from 'react';
import { useGatewayData } from '../hooks/gateway-data.js';
import { useLocationPath } from '../hooks/use-location-path.js';
import { useTheme } from '../hooks/use-theme.js';
import { PAGES, type PageId, pageForPath } from '../lib/pages.js';
import { AccountsPage } from '../pages/accounts/accounts-page.js';
import { KeysPage } from '../pages/keys/keys-page.js';
import { MonitorPage } from '../pages/monitor/monitor-page.js';
import { ProxyPage } from '../pages/proxy/proxy-page.js';
import { SettingsPage } from '../pages/settings/settings-page.js';
import { UsagePage } from '../pages/usage/usage-page.js';

const PAGE_COMPONENTS: Record<PageId, () => React.JSX.Element> = {
  accounts: AccountsPage,
  proxy: ProxyPage,
  keys: KeysPage,
  usage: UsagePage,
  monitor: MonitorPage,
  settings: SettingsPage,
};

export function Layout({ onSignOut }: { onSignOut(): void }) {
  const { path, navigate } = useLocationPath();
  const { theme, toggle } = useTheme();
  const { status, error } = useGatewayData();
  const current = pageForPath(path);
  const Page = PAGE_COMPONENTS[current];
  const follow = (event: MouseEvent<HTMLAnchorElement>, target: string) => {
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    navigate(target);
  };
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <span className="brand">
          <span aria-hidden="true">⇄</span> Switchyard
        </span>
        <nav aria-label="Pages">
          <ul>
            {PAGES.map((page) => (
              <li key={page.id}>
                <a
                  href={page.path}
                  aria-current={page.id === current ? 'page' : undefined}
                  onClick={(event) => follow(event, page.path)}
                >
                  {page.title}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div className="topbar-actions">
          {status && (
            <span
              className={`pill ${status.running ? 'pill-ok' : 'pill-warn'}`}
              title={`Version ${status.version}`}
            >
              {status.running ? 'Running' : 'Stopped'}
            </span>
          )}
          <button
            type="button"
            onClick={toggle}
            aria-label={`Switch to ${theme === 'dark' ? 'light' : 'dark'} theme`}
          >
            {theme === 'dark' ? '☀ Light' : '☾ Dark'}
          </button>
          <button type="button" onClick={onSignOut}>
            Sign out
          </button>
        </div>
      </header>
      {error && (
        <p className="banner banner-error" role="alert">
          Cannot reach the gateway: {error}
        </p>
      )}
      {status?.config_error && (
        <p className="banner banner-warn" role="alert">
          gui_config.json has a problem and the last good config is in force: {status.config_error}
        </p>
      )}
      {status?.store_degraded && (
        <p className="banner banner-warn" role="alert">
          The {status.store.backend} store ({status.store.location}) does not answer
          {status.store.reason ? `: ${status.store.reason}` : ''}. Requests are still served; changes to
          accounts and keys are refused until it answers again.
        </p>
      )}
      {status?.state_degraded && (
        <p className="banner banner-warn" role="alert">
          The shared scheduling state ({status.state.location}) cannot be reached
          {status.state.reason ? `: ${status.state.reason}` : ''}. This instance schedules on its own state
          and catches up when it is back.
        </p>
      )}
      <main id="main" tabIndex={-1}>
        <Page />
      </main>
    </div>
  );
}
