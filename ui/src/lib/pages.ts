/** The app's pages and their URLs (the gateway serves index.html for each, see src/server/static-ui.ts). */

export const PAGES = [
  { id: 'accounts', path: '/accounts', title: 'Accounts' },
  { id: 'proxy', path: '/proxy', title: 'API Proxy' },
  { id: 'keys', path: '/keys', title: 'Keys' },
  { id: 'usage', path: '/usage', title: 'Usage' },
  { id: 'monitor', path: '/monitor', title: 'Monitor' },
  { id: 'settings', path: '/settings', title: 'Settings' },
] as const;

export type PageId = (typeof PAGES)[number]['id'];

/** The page for a location path; `/` and unknown paths show Accounts. Trailing slashes are ignored. */
export function pageForPath(pathname: string): PageId {
  const path = pathname.replace(/\/+$/, '') || '/';
  return PAGES.find((page) => page.path === path)?.id ?? 'accounts';
}

export function pathForPage(id: PageId): string {
  return PAGES.find((page) => page.id === id)?.path ?? '/';
}
