import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../core/clock.js';
import type { CanonicalMessage } from '../../core/model/index.js';
import { ResponseStore } from './response-store.js';

const message = (text: string): CanonicalMessage => ({ role: 'user', content: [{ type: 'text', text }] });
const bytesOf = (...messages: CanonicalMessage[]) =>
  messages.reduce((sum, each) => sum + JSON.stringify(each).length, 0);

describe('ResponseStore', () => {
  it('counts a history shared by the turns of one conversation once', () => {
    const store = new ResponseStore({ clock: new FakeClock() });
    const first = message('a'.repeat(1000));
    const second = message('b'.repeat(1000));
    store.save('resp_1', [first]);
    store.save('resp_2', [first, second]);
    expect(store.bytes).toBe(bytesOf(first, second));
    expect(store.get('resp_1')).toEqual([first]);
  });

  it('drops the oldest responses beyond the byte limit, and gives their bytes back', () => {
    const one = message('x'.repeat(1000));
    const limit = 3 * bytesOf(one);
    const store = new ResponseStore({ clock: new FakeClock(), maxBytes: () => limit });
    for (let index = 0; index < 10; index++)
      store.save(`resp_${index}`, [message(`${index}`.padEnd(1000, 'x'))]);
    expect(store.size).toBe(3);
    expect(store.bytes).toBeLessThanOrEqual(limit);
    expect(store.get('resp_6')).toBeUndefined();
    expect(store.get('resp_9')).toBeDefined();
  });

  it('keeps nothing of a single response larger than the byte limit', () => {
    const store = new ResponseStore({ clock: new FakeClock(), maxBytes: () => 100 });
    store.save('resp_big', [message('y'.repeat(1000))]);
    expect(store.get('resp_big')).toBeUndefined();
    expect(store.bytes).toBe(0);
  });

  it('keeps a message shared with a newer response when the older one goes', () => {
    const shared = message('s'.repeat(500));
    const store = new ResponseStore({ clock: new FakeClock(), maxEntries: 1 });
    store.save('resp_1', [shared]);
    store.save('resp_2', [shared, message('t')]);
    expect(store.get('resp_1')).toBeUndefined();
    expect(store.bytes).toBe(bytesOf(shared, message('t')));
  });

  it('forgets responses after the ttl, and sweeps expired ones on the next save', async () => {
    const clock = new FakeClock();
    const store = new ResponseStore({ clock, ttlMs: 1000 });
    store.save('resp_old', [message('old')]);
    await clock.advance(1000);
    store.save('resp_new', [message('new')]);
    expect(store.size).toBe(1);
    expect(store.get('resp_old')).toBeUndefined();
    expect(store.bytes).toBe(bytesOf(message('new')));
  });
});
