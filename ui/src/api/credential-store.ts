/**
 * The admin credential (admin password, or the API key when there is none) for this browser tab.
 * Kept in sessionStorage: it survives reloads but not closing the tab, and other sites cannot read it.
 */
const KEY = 'switchyard.admin-credential';

export const credentialStore = {
  get(): string | null {
    return sessionStorage.getItem(KEY);
  },
  set(credential: string): void {
    sessionStorage.setItem(KEY, credential);
  },
  clear(): void {
    sessionStorage.removeItem(KEY);
  },
};
