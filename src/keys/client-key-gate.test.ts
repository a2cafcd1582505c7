import { describe, expect, it } from 'vitest';
import { MemoryAccountPool } from '../core/account-pool.js';
import type { ClientKey } from '../core/client-key.js';
import { sampleRequestLogEntry } from '../observability/sample-request-log-entry.js';
import { testAccount } from '../scheduler/test-account.js';
import { configuredPrices, PriceTable } from '../usage/price-table.js';
import { ClientKeyGate } from './client-key-gate.js';
import { MemoryKeyLimiter } from './memory-key-limiter.js';

const NOW = Date.UTC(2026, 0, 1, 12);

function key(overrides: Partial<ClientKey> = {}): ClientKey {
  return {
    id: 'k1',
    name: 'ci',
    owner: null,
    secretHash: 'h',
    hint: 'sk-sy-…abcd',
    createdAt: 0,
    rotatedAt: 0,
    lastUsedAt: null,
    expiresAt: null,
    revokedAt: null,
    models: [],
    accountId: null,
    accountGroup: null,
    limits: {},
    ...overrides,
  };
}

function rig() {
  const touched: [string, number][] = [];
  const limiter = new MemoryKeyLimiter();
  const pool = new MemoryAccountPool([
    testAccount('a', { label: 'team-a' }),
    testAccount('b', { label: 'team-b' }),
    testAccount('c', { label: 'team-a' }),
  ]);
  const prices = new PriceTable(configuredPrices({ 'gpt-4o*': { input: 10, output: 30 } }));
  const gate = new ClientKeyGate({
    limiter,
    pool,
    prices: () => prices,
    keys: { touchLastUsed: (id, at) => touched.push([id, at]) },
  });
  return { gate, limiter, pool, touched };
}

describe('ClientKeyGate', () => {
  it('admits a request, records the key as used, and lets any account serve an unpinned key', async () => {
    const { gate, touched } = rig();

    expect(await gate.admit({ clientKey: key(), clientModel: 'gpt-4o' }, NOW)).toBeNull();
    expect(touched).toEqual([['k1', NOW]]);
  });

  it('refuses a model outside the key’s list with forbidden, naming the model and the list', async () => {
    const { gate, touched } = rig();

    const refused = gate.admit(
      { clientKey: key({ models: ['claude-*', 'o3'] }), clientModel: 'gpt-4o' },
      NOW,
    );

    await expect(refused).rejects.toMatchObject({
      code: 'forbidden',
      status: 403,
      message: 'API key "ci" may not use model "gpt-4o" (allowed: claude-*, o3)',
    });
    expect(touched).toEqual([]);
  });

  it('refuses a request over a limit with key_limit_reached and the seconds to wait', async () => {
    const { gate } = rig();
    const limited = key({ limits: { requestsPerMinute: 1 } });
    await gate.admit({ clientKey: limited, clientModel: 'gpt-4o' }, NOW);

    const refused = gate.admit({ clientKey: limited, clientModel: 'gpt-4o' }, NOW + 15_500);

    await expect(refused).rejects.toMatchObject({
      code: 'key_limit_reached',
      status: 429,
      retryAfterSeconds: 45,
      message: expect.stringContaining(
        'API key "ci" reached its limit of 1 requests per minute; retry after 45s',
      ),
    });
  });

  it('restricts a pinned key to its account and a grouped key to the accounts labelled with the group', async () => {
    const { gate, pool } = rig();

    expect(gate.accountsFor(key({ accountId: 'b' }))).toEqual(new Set(['b']));
    expect(gate.accountsFor(key({ accountGroup: 'team-a' }))).toEqual(new Set(['a', 'c']));
    pool.upsert(testAccount('d', { label: 'team-a' }));
    expect(gate.accountsFor(key({ accountGroup: 'team-a' }))).toEqual(new Set(['a', 'c', 'd']));
    expect(gate.accountsFor(key({ accountGroup: 'nobody' }))).toEqual(new Set());
  });

  it('charges a finished request’s tokens and estimated cost to its key, and nothing for the owner', async () => {
    const { gate, limiter } = rig();
    const usage = {
      inputTokens: 100_000,
      outputTokens: 10_000,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      reasoningTokens: 0,
    };

    gate.record(sampleRequestLogEntry({ time: NOW, clientKeyId: 'k1', mappedModel: 'gpt-4o', usage }));
    gate.record(sampleRequestLogEntry({ time: NOW, clientKeyId: null, mappedModel: 'gpt-4o', usage }));
    gate.record(sampleRequestLogEntry({ time: NOW, clientKeyId: 'k1', mappedModel: 'unpriced', usage }));

    const used = await limiter.usage('k1', NOW + 1000);
    expect(used.tokensToday).toBe(220_000);
    expect(used.costToday).toBeCloseTo(1.3, 10);
  });
});
