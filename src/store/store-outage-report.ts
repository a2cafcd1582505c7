import type { StoreHealthStatus } from './store-health.js';

/** One kind of bookkeeping write held in memory while the store does not answer. */
export interface HeldWriteCounts {
  /** Writes (or rows, or accounts with updates) waiting for the store now. */
  held: number;
  /** Dropped, oldest first, because the buffer was full, since start. */
  dropped: number;
}

/** The store's reachability and what waits for it, as the status endpoint and `/metrics` report it. */
export interface StoreOutageReport extends StoreHealthStatus {
  held_writes: Record<string, number>;
  dropped_writes: Record<string, number>;
}

/** Reads the health and every held-writes source into one report (each read when called). */
export function storeOutageReport(
  health: { status(): StoreHealthStatus },
  sources: Readonly<Record<string, () => HeldWriteCounts>>,
): StoreOutageReport {
  const held: Record<string, number> = {};
  const dropped: Record<string, number> = {};
  for (const [kind, read] of Object.entries(sources)) {
    const counts = read();
    held[kind] = counts.held;
    dropped[kind] = counts.dropped;
  }
  return { ...health.status(), held_writes: held, dropped_writes: dropped };
}
