import { describe, expect, it } from 'vitest';
import { MemorySignatureLedger } from './signature-ledger.js';

describe('MemorySignatureLedger', () => {
  it('tells which family issued a signature in a session', () => {
    const ledger = new MemorySignatureLedger();
    ledger.record('sid-a', 'google', ['sig-1', 'sig-2']);
    ledger.record('sid-a', 'anthropic', ['sig-3']);
    expect(ledger.familyOf('sid-a', 'sig-1')).toBe('google');
    expect(ledger.familyOf('sid-a', 'sig-3')).toBe('anthropic');
    expect(ledger.familyOf('sid-a', 'sig-4')).toBeUndefined();
  });

  it('keeps sessions apart', () => {
    const ledger = new MemorySignatureLedger();
    ledger.record('sid-a', 'google', ['sig-1']);
    expect(ledger.familyOf('sid-b', 'sig-1')).toBeUndefined();
  });

  it('ignores empty signatures', () => {
    const ledger = new MemorySignatureLedger();
    ledger.record('sid-a', 'openai', ['']);
    expect(ledger.size).toBe(0);
  });

  it('is bounded: the least recently used entries go first', () => {
    const ledger = new MemorySignatureLedger({ maxEntries: 3 });
    ledger.record('sid-a', 'google', ['s1', 's2', 's3']);
    expect(ledger.familyOf('sid-a', 's1')).toBe('google');
    ledger.record('sid-a', 'google', ['s4']);
    expect(ledger.size).toBe(3);
    expect(ledger.familyOf('sid-a', 's2')).toBeUndefined();
    expect(ledger.familyOf('sid-a', 's1')).toBe('google');
    expect(ledger.familyOf('sid-a', 's4')).toBe('google');
  });

  it('stores a fixed-size hash, not the signature, whatever its length', () => {
    const ledger = new MemorySignatureLedger();
    const huge = 'E'.repeat(100_000);
    ledger.record('sid-a', 'anthropic', [huge]);
    const keys = [...(ledger as unknown as { entries: Map<string, string> }).entries.keys()];
    expect(keys.map((key) => key.length)).toEqual([32]);
    expect(ledger.familyOf('sid-a', huge)).toBe('anthropic');
  });
});
