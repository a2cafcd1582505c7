import { describe, expect, it } from 'vitest';
import { pageForPath, pathForPage } from './pages.js';

describe('pageForPath', () => {
  it.each([
    ['/', 'accounts'],
    ['/accounts', 'accounts'],
    ['/proxy', 'proxy'],
    ['/keys', 'keys'],
    ['/usage/', 'usage'],
    ['/monitor/', 'monitor'],
    ['/settings//', 'settings'],
    ['/unknown', 'accounts'],
  ])('shows %s as the %s page', (path, page) => {
    expect(pageForPath(path)).toBe(page);
  });

  it('round-trips every page through its path', () => {
    for (const page of ['accounts', 'proxy', 'keys', 'usage', 'monitor', 'settings'] as const)
      expect(pageForPath(pathForPage(page))).toBe(page);
  });
});
