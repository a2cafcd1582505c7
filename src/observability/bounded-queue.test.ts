import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BoundedQueue } from './bounded-queue.js';

describe('BoundedQueue', () => {
  it('returns items first in, first out', () => {
    const queue = new BoundedQueue<number>(4);
    queue.push(1);
    queue.push(2);
    queue.push(3);
    expect(queue.shift()).toBe(1);
    expect(queue.take(5)).toEqual([2, 3]);
    expect(queue.shift()).toBeUndefined();
  });

  it('drops the oldest item when full and counts it', () => {
    const queue = new BoundedQueue<string>(2);
    expect(queue.push('a')).toBe(true);
    expect(queue.push('b')).toBe(true);
    expect(queue.push('c')).toBe(false);
    expect(queue.size).toBe(2);
    expect(queue.dropped).toBe(1);
    expect(queue.take(10)).toEqual(['b', 'c']);
  });

  it('unshiftAll puts taken items back in front, dropping the oldest of them where there is no room', () => {
    const queue = new BoundedQueue<number>(4);
    for (const item of [1, 2, 3]) queue.push(item);
    const taken = queue.take(3);
    queue.push(4);
    queue.push(5);
    expect(queue.unshiftAll(taken)).toBe(1);
    expect(queue.dropped).toBe(1);
    expect(queue.take(10)).toEqual([2, 3, 4, 5]);
  });

  it('clear empties it without counting drops', () => {
    const queue = new BoundedQueue<number>(3);
    queue.push(1);
    queue.push(2);
    expect(queue.clear()).toBe(2);
    expect(queue.size).toBe(0);
    expect(queue.dropped).toBe(0);
    queue.push(7);
    expect(queue.take(1)).toEqual([7]);
  });

  it('rejects a capacity that is not a positive integer', () => {
    expect(() => new BoundedQueue(0)).toThrow(RangeError);
    expect(() => new BoundedQueue(1.5)).toThrow(RangeError);
  });

  it('always holds the newest `capacity` items of what was pushed and not taken', () => {
    const operation = fc.oneof(
      fc.record({ push: fc.integer() }),
      fc.record({ take: fc.integer({ min: 0, max: 4 }) }),
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.array(operation, { maxLength: 60 }),
        (capacity, steps) => {
          const queue = new BoundedQueue<number>(capacity);
          let model: number[] = [];
          let dropped = 0;
          for (const step of steps) {
            if ('push' in step) {
              model.push(step.push);
              if (model.length > capacity) {
                model = model.slice(1);
                dropped += 1;
              }
              queue.push(step.push);
            } else {
              expect(queue.take(step.take)).toEqual(model.slice(0, step.take));
              model = model.slice(step.take);
            }
            expect(queue.size).toBe(model.length);
            expect(queue.dropped).toBe(dropped);
          }
        },
      ),
    );
  });
});
