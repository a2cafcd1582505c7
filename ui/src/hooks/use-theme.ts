/**
 * Light or dark. Until the user picks one the page follows `prefers-color-scheme` (in CSS); the
 * toggle stores the choice in localStorage and sets `data-theme` on <html>.
 */
import { useCallback, useEffect, useState } from 'react';

export type Theme = 'light' | 'dark';

const KEY = 'switchyard.theme';

function systemTheme(): Theme {
  return window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

function storedTheme(): Theme | null {
  const value = localStorage.getItem(KEY);
  return value === 'light' || value === 'dark' ? value : null;
}

/** Applies the stored choice before the first render, so the page does not flash the other theme. */
export function applyStoredTheme(): void {
  const theme = storedTheme();
  if (theme) document.documentElement.dataset['theme'] = theme;
}

export function useTheme(): { theme: Theme; toggle(): void } {
  const [theme, setTheme] = useState<Theme>(() => storedTheme() ?? systemTheme());
  useEffect(() => {
    if (storedTheme()) return;
    const query = window.matchMedia('(prefers-color-scheme: dark)');
    const follow = () => setTheme(systemTheme());
    query.addEventListener('change', follow);
    return () => query.removeEventListener('change', follow);
  }, []);
  const toggle = useCallback(() => {
    setTheme((current) => {
      const next: Theme = current === 'dark' ? 'light' : 'dark';
      localStorage.setItem(KEY, next);
      document.documentElement.dataset['theme'] = next;
      return next;
    });
  }, []);
  return { theme, toggle };
}
