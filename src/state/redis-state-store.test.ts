import { inject } from 'vitest';
import { redisKeyPrefix } from '../../test/support/services.js';
import { systemIds } from '../core/ids.js';
import { RedisStateStore } from './redis-state-store.js';
import { describeStateStoreContract } from './state-store.contract.js';

describeStateStoreContract('RedisStateStore', (options) =>
  RedisStateStore.connect({
    ...options,
    url: inject('redisUrl'),
    keyPrefix: redisKeyPrefix(),
    ids: systemIds,
    commandTimeoutMs: 2000,
  }),
);
