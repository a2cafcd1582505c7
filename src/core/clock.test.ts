import { describe, expect, it } from 'vitest';
import { FakeClock, within } from './clock.js';

describe('FakeClock', () => {
  it('fires timers in time order as time advances', async () => {
    const clock = new FakeClock(1000);
    const fired: string[] = [];
    clock.after(200, () => fired.push('b'));
    clock.after(100, () => fired.push('a'));
    await clock.advance(150);
    expect(fired).toEqual(['a']);
    await clock.advance(100);
    expect(fired).toEqual(['a', 'b']);
    expect(clock.now()).toBe(1250);
  });

  it('repeats intervals until cancelled', async () => {
    const clock = new FakeClock(0);
    let ticks = 0;
    const cancel = clock.every(10, () => ticks++);
    await clock.advance(35);
    expect(ticks).toBe(3);
    cancel();
    await clock.advance(100);
    expect(ticks).toBe(3);
  });

  it('resolves sleep when time passes and rejects it on abort', async () => {
    const clock = new FakeClock(0);
    const slept = clock.sleep(50);
    await clock.advance(50);
    await expect(slept).resolves.toBeUndefined();
    const controller = new AbortController();
    const aborted = clock.sleep(50, controller.signal);
    controller.abort(new Error('client went away'));
    await expect(aborted).rejects.toThrow('client went away');
  });
});

describe('within', () => {
  it('gives the outcome of work that settles in time, and cancels its timer', async () => {
    const clock = new FakeClock(0);
    expect(await within(clock, 1000, Promise.resolve('answer'))).toEqual({ done: true, value: 'answer' });
    expect(clock.pendingTimers()).toBe(0);
  });

  it('reports work still running when the time is up, and passes a rejection in time on', async () => {
    const clock = new FakeClock(0);
    const slow = within(clock, 1000, new Promise<string>(() => undefined));
    await clock.advance(1000);
    expect(await slow).toEqual({ done: false });
    expect(clock.pendingTimers()).toBe(0);
    await expect(within(clock, 1000, Promise.reject(new Error('refused')))).rejects.toThrow('refused');
  });
});
