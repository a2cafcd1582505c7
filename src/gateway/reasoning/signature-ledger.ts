import { sha256Hex } from '../../core/ids.js';
import type { SignatureFamily } from '../../core/model/replayed-reasoning.js';

/**
 * Which family issued the reasoning signatures of a conversation, so that a request moving to an
 * account of another family can leave out what that account cannot verify. Answers feed it
 * (`record`); requests read it (`familyOf`). Lookups are synchronous on the request path: an
 * implementation shared between instances keeps a local mirror, as the state store does for locks.
 */
export interface SignatureLedger {
  /** Remembers that `family` issued `signatures` (thinking signatures, redacted data, thought signatures) in a session. */
  record(sessionId: string, family: SignatureFamily, signatures: readonly string[]): void;
  /** The family that issued `signature` in this session, or undefined when none was recorded. */
  familyOf(sessionId: string, signature: string): SignatureFamily | undefined;
}

export interface MemorySignatureLedgerOptions {
  /** Most signatures remembered (all sessions together); the least recently used go first. Default 20 000. */
  maxEntries?: number;
}

/**
 * The in-process ledger. It keeps no signature, only a 128-bit hash of session id and signature
 * (32 hex characters) with its family, so memory stays bounded by `maxEntries` whatever the size of
 * the signatures (Anthropic's run to kilobytes): about 2 MB at the default.
 */
export class MemorySignatureLedger implements SignatureLedger {
  private readonly entries = new Map<string, SignatureFamily>();
  private readonly maxEntries: number;

  constructor(options: MemorySignatureLedgerOptions = {}) {
    this.maxEntries = Math.max(1, options.maxEntries ?? 20_000);
  }

  record(sessionId: string, family: SignatureFamily, signatures: readonly string[]): void {
    for (const signature of signatures) {
      if (signature === '') continue;
      const key = entryKey(sessionId, signature);
      this.entries.delete(key);
      this.entries.set(key, family);
    }
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }

  familyOf(sessionId: string, signature: string): SignatureFamily | undefined {
    const key = entryKey(sessionId, signature);
    const family = this.entries.get(key);
    if (family === undefined) return undefined;
    // A signature in use stays: move it to the most recently used end.
    this.entries.delete(key);
    this.entries.set(key, family);
    return family;
  }

  get size(): number {
    return this.entries.size;
  }
}

function entryKey(sessionId: string, signature: string): string {
  return sha256Hex(`${sessionId}\u0000${signature}`).slice(0, 32);
}
