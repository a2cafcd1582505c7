import { afterEach, expect, inject } from 'vitest';
import { redisKeyPrefix } from '../../test/support/services.js';
import { systemIds } from '../core/ids.js';
import { RedisStateStore } from './redis-state-store.js';
import { describeStateStoreContract } from './state-store.contract.js';

const opened: RedisStateStore[] = [];

// A store that fell back to local state would pass the contract too: every test must have run on Redis.
afterEach(() => {
  for (const store of opened.splice(0))
    expect(store.health()).toMatchObject({ degraded: false, reason: null });
});

describeStateStoreContract('RedisStateStore', async (options) => {
  const store = await RedisStateStore.connect({
    ...options,
    url: inject('redisUrl'),
    keyPrefix: redisKeyPrefix(),
    ids: systemIds,
    commandTimeoutMs: 2000,
  });
  opened.push(store);
  return store;
});
