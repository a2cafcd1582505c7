import { describe, expect, it } from 'vitest';
import { LiveFeed } from './live-feed.js';
import { sampleRequestLogEntry } from './sample-request-log-entry.js';

const entry = (id: string) => sampleRequestLogEntry({ id });

describe('LiveFeed', () => {
  it('gives every subscriber each entry recorded after it subscribed, in order', async () => {
    const feed = new LiveFeed();
    feed.record(entry('before'));
    const first = feed.subscribe();
    const second = feed.subscribe();
    feed.record(entry('a'));
    feed.record(entry('b'));
    expect([(await first.next())?.entry.id, (await first.next())?.entry.id]).toEqual(['a', 'b']);
    expect([(await second.next())?.entry.id, (await second.next())?.entry.id]).toEqual(['a', 'b']);
  });

  it('resolves a waiting next() when the entry arrives', async () => {
    const feed = new LiveFeed();
    const subscription = feed.subscribe();
    const pending = subscription.next();
    feed.record(entry('late'));
    expect(await pending).toEqual({ entry: expect.objectContaining({ id: 'late' }), missedBefore: 0 });
  });

  it('bounds a slow subscriber to its buffer, keeping the newest and counting the dropped', async () => {
    const feed = new LiveFeed({ bufferSize: 3 });
    const slow = feed.subscribe();
    const fast = feed.subscribe();
    const fastSeen: string[] = [];
    for (let index = 1; index <= 10; index++) {
      feed.record(entry(`r${index}`));
      fastSeen.push((await fast.next())?.entry.id ?? '');
    }
    expect(slow.buffered).toBe(3);
    expect(slow.dropped).toBe(7);
    const pulled = [await slow.next(), await slow.next(), await slow.next()];
    expect(pulled.map((delivery) => [delivery?.entry.id, delivery?.missedBefore])).toEqual([
      ['r8', 7],
      ['r9', 0],
      ['r10', 0],
    ]);
    expect(fastSeen).toHaveLength(10);
    expect(fast.dropped).toBe(0);
  });

  it('places the gap where entries were lost, even after the subscriber caught up once', async () => {
    const feed = new LiveFeed({ bufferSize: 2 });
    const subscription = feed.subscribe();
    for (const id of ['a', 'b']) feed.record(entry(id));
    expect((await subscription.next())?.entry.id).toBe('a');
    for (const id of ['c', 'd']) feed.record(entry(id));
    const rest = [await subscription.next(), await subscription.next()];
    expect(rest.map((delivery) => [delivery?.entry.id, delivery?.missedBefore])).toEqual([
      ['c', 1],
      ['d', 0],
    ]);
  });

  it('close ends a pending next() with null and unsubscribes', async () => {
    const feed = new LiveFeed();
    const subscription = feed.subscribe();
    expect(feed.subscriberCount).toBe(1);
    const pending = subscription.next();
    subscription.close();
    await expect(pending).resolves.toBeNull();
    await expect(subscription.next()).resolves.toBeNull();
    expect(feed.subscriberCount).toBe(0);
    feed.record(entry('ignored'));
    expect(subscription.buffered).toBe(0);
  });

  it('for await yields entries until the subscription is closed', async () => {
    const feed = new LiveFeed();
    const subscription = feed.subscribe();
    const seen: string[] = [];
    const reading = (async () => {
      for await (const { entry: item } of subscription) seen.push(item.id);
    })();
    feed.record(entry('x'));
    feed.record(entry('y'));
    await new Promise<void>((resolve) => setImmediate(resolve));
    feed.closeAll();
    await reading;
    expect(seen).toEqual(['x', 'y']);
    expect(feed.subscriberCount).toBe(0);
  });

  it('breaking out of for await unsubscribes', async () => {
    const feed = new LiveFeed();
    const subscription = feed.subscribe();
    feed.record(entry('only'));
    for await (const _item of subscription) break;
    expect(feed.subscriberCount).toBe(0);
  });

  it('refuses a second concurrent reader of one subscription', async () => {
    const feed = new LiveFeed();
    const subscription = feed.subscribe();
    const first = subscription.next();
    await expect(subscription.next()).rejects.toThrow('already pending');
    subscription.close();
    await expect(first).resolves.toBeNull();
  });
});
