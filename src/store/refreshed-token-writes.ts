import type { RefreshedCredential } from './account-patch.js';
import type { StoreAvailability } from './store-health.js';

/** The account store operation the writes use (`AccountStore.storeRefreshedCredential`). */
export interface RefreshedCredentialStore {
  storeRefreshedCredential(
    id: string,
    refreshed: RefreshedCredential,
  ): Promise<'stored' | 'superseded' | 'gone'>;
}

export interface RefreshedTokenWritesOptions {
  accounts: RefreshedCredentialStore;
  availability: StoreAvailability;
  /** A write the store refused (not an outage): that token is not stored, the next refresh stores one. */
  onError: (error: unknown, accountId: string) => void;
}

/**
 * Stores the OAuth credentials obtained by token refreshes off the request path: `write` returns at
 * once; the writes run in the background, and while the store does not answer they are held (one
 * per account: the latest, still recorded as a refresh of the token the store has) and written when
 * it answers again. The refreshing side keeps using the new token from memory meanwhile.
 */
export class RefreshedTokenWrites {
  private readonly pending = new Map<string, RefreshedCredential>();
  private running: Promise<void> | null = null;
  private readonly stopListening: () => void;

  constructor(private readonly options: RefreshedTokenWritesOptions) {
    this.stopListening = options.availability.onAvailable(() => void this.flush());
  }

  /** Credentials waiting for the store. */
  get heldCount(): number {
    return this.pending.size;
  }

  /**
   * Queues the credential for storage and writes it at once while the store answers. Never throws.
   * The promise resolves when this credential is stored or refused, when it is held for the store's
   * return, or when a newer refresh of the account replaced it in the queue; a caller that must not
   * wait ignores it.
   */
  async write(accountId: string, refreshed: RefreshedCredential): Promise<void> {
    const earlier = this.pending.get(accountId);
    // A chain of refreshes is stored as one refresh of the token the store still has.
    const chained = earlier !== undefined && refreshed.from === earlier.credential.refreshToken;
    const entry = chained ? { from: earlier.from, credential: refreshed.credential } : refreshed;
    this.pending.set(accountId, entry);
    // A pass already running may have gone past this account: the next one writes it.
    while (this.options.availability.writable && this.pending.get(accountId) === entry) await this.flush();
  }

  /** Writes what is pending now; resolves when each is stored, refused, or held for the store's return. */
  flush(): Promise<void> {
    this.running ??= this.writePending().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  close(): void {
    this.stopListening();
  }

  private async writePending(): Promise<void> {
    for (const [accountId, refreshed] of this.pending) {
      if (!this.options.availability.writable) return;
      try {
        await this.options.accounts.storeRefreshedCredential(accountId, refreshed);
      } catch (error) {
        if (this.options.availability.reportFailure(error)) return;
        this.options.onError(error, accountId);
      }
      // A newer refresh of the same account queued meanwhile stays for the next pass.
      if (this.pending.get(accountId) === refreshed) this.pending.delete(accountId);
    }
  }
}
