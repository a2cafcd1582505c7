import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEachStoreBackend } from '../../test/support/store-backends.js';
import { FakeClock } from '../core/clock.js';
import { sequentialIds } from '../core/ids.js';
import { ClientKeyStore } from './client-key-store.js';

describeEachStoreBackend('ClientKeyStore', (backend) => {
  let location: string;
  let clock: FakeClock;
  let secrets: number;
  const toClose: { close(): Promise<void> }[] = [];

  /** A store on its own connection, as a separate process (the CLI, another instance) would have. */
  async function openStore(prefix: string): Promise<ClientKeyStore> {
    const db = await backend.open(location);
    const store = await ClientKeyStore.open({
      db: db.db,
      changes: db.keyChanges,
      clock,
      ids: sequentialIds(prefix),
      newSecret: () => `sk-sy-secret-${prefix}-${++secrets}`,
    });
    toClose.push(db, store);
    return store;
  }

  beforeEach(async () => {
    location = await backend.newLocation();
    clock = new FakeClock(Date.UTC(2026, 0, 1));
    secrets = 0;
  });

  afterEach(async () => {
    for (const closable of toClose.reverse()) await closable.close();
    toClose.length = 0;
  });

  it('creates a key, finds it by its secret, and stores only the hash of the secret', async () => {
    const store = await openStore('a');

    const { key, secret } = await store.create({
      name: 'ci',
      owner: 'build team',
      models: ['gpt-4o*'],
      limits: { requestsPerMinute: 10, costPerDay: 2.5 },
    });

    expect(secret).toBe('sk-sy-secret-a-1');
    expect(store.findBySecret(secret)).toEqual(key);
    expect(store.findBySecret('sk-sy-secret-a-2')).toBeUndefined();
    expect(key).toMatchObject({
      name: 'ci',
      hint: 'sk-sy-…-a-1',
      limits: { requestsPerMinute: 10, costPerDay: 2.5 },
    });
    const rows = await backend.raw(location, 'select * from client_keys');
    expect(JSON.stringify(rows)).not.toContain(secret);
    expect(rows[0]).toMatchObject({ id: key.id, secret_hash: key.secretHash, models: '["gpt-4o*"]' });
  });

  it('refuses a second active key with the same name, and allows it once the first is revoked', async () => {
    const store = await openStore('a');
    const first = await store.create({ name: 'alice' });

    await expect(store.create({ name: 'alice' })).rejects.toMatchObject({ code: 'conflict' });
    await store.revoke(first.key.id);
    await expect(store.create({ name: 'alice' })).resolves.toMatchObject({ key: { name: 'alice' } });
  });

  it('rotates: a new secret for the same id and settings; the old secret is unknown at once', async () => {
    const store = await openStore('a');
    const issued = await store.create({ name: 'ci', limits: { tokensPerDay: 1000 } });
    clock.set(clock.now() + 60_000);

    const rotated = await store.rotate(issued.key.id);

    expect(rotated.key).toMatchObject({
      id: issued.key.id,
      limits: { tokensPerDay: 1000 },
      rotatedAt: clock.now(),
    });
    expect(rotated.secret).not.toBe(issued.secret);
    expect(store.findBySecret(issued.secret)).toBeUndefined();
    expect(store.findBySecret(rotated.secret)?.id).toBe(issued.key.id);
  });

  it('revokes: the key stays listed and known by its secret, as revoked, and can no longer change', async () => {
    const store = await openStore('a');
    const { key, secret } = await store.create({ name: 'ci' });

    await store.revoke(key.id);

    expect(store.findBySecret(secret)?.revokedAt).toBe(clock.now());
    expect(store.list().map((listed) => listed.id)).toEqual([key.id]);
    await expect(store.rotate(key.id)).rejects.toMatchObject({ code: 'conflict' });
    await expect(store.update(key.id, { name: 'other' })).rejects.toMatchObject({ code: 'conflict' });
    await expect(store.revoke('missing')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('updates only the given settings', async () => {
    const store = await openStore('a');
    const { key } = await store.create({ name: 'ci', owner: 'ops', models: ['o3'] });

    const updated = await store.update(key.id, { limits: { requestsPerMinute: 5 }, accountGroup: 'team-a' });

    expect(updated).toMatchObject({ name: 'ci', owner: 'ops', models: ['o3'], accountGroup: 'team-a' });
    expect(updated.limits).toEqual({ requestsPerMinute: 5 });
  });

  it('sees keys created, rotated and revoked by another process after polling the change feed', async () => {
    const gateway = await openStore('gw');
    const cli = await openStore('cli');

    const issued = await cli.create({ name: 'from-cli' });
    expect(await gateway.pollExternalChanges()).toBe(true);
    expect(gateway.findBySecret(issued.secret)?.name).toBe('from-cli');

    const rotated = await cli.rotate(issued.key.id);
    await gateway.pollExternalChanges();
    expect(gateway.findBySecret(issued.secret)).toBeUndefined();
    expect(gateway.findBySecret(rotated.secret)?.id).toBe(issued.key.id);

    await cli.revoke(issued.key.id);
    await gateway.pollExternalChanges();
    expect(gateway.findBySecret(rotated.secret)?.revokedAt).not.toBeNull();
    expect(await gateway.pollExternalChanges()).toBe(false);
  });

  it('records last use in memory at once and in the database on flush, never moving it back', async () => {
    const store = await openStore('a');
    const { key } = await store.create({ name: 'ci' });
    const storedLastUse = async () =>
      (await backend.raw(location, 'select last_used_at from client_keys where id = ?', [key.id]))[0]?.[
        'last_used_at'
      ];

    store.touchLastUsed(key.id, clock.now() + 5000);
    expect(store.get(key.id)?.lastUsedAt).toBe(clock.now() + 5000);
    expect(await storedLastUse()).toBeNull();

    await store.flush();
    expect(await storedLastUse()).toBe(clock.now() + 5000);

    const other = await openStore('b');
    other.touchLastUsed(key.id, clock.now() + 1000);
    await other.flush();
    expect(await storedLastUse()).toBe(clock.now() + 5000);
  });
});
