import { describe, expect, it } from 'vitest';
import { AttemptAbort } from './attempt-abort.js';

describe('AttemptAbort', () => {
  it('calls each listener once with the reason already set, in the order added', () => {
    const abort = new AttemptAbort();
    const seen: string[] = [];
    abort.addEventListener('abort', () => seen.push(`first:${String(abort.reason)}`));
    abort.addEventListener('abort', () => seen.push(`second:${String(abort.aborted)}`));
    abort.abort('timer');
    abort.abort('client gone');
    expect(seen).toEqual(['first:timer', 'second:true']);
    expect(abort.reason).toBe('timer');
  });

  it('does not call a listener that was removed, nor one added after the abort', () => {
    const abort = new AttemptAbort();
    const seen: string[] = [];
    const removed = () => seen.push('removed');
    abort.addEventListener('abort', removed);
    abort.addEventListener('abort', () => seen.push('kept'));
    abort.removeEventListener('abort', removed);
    abort.abort(new Error('no output in time'));
    abort.addEventListener('abort', () => seen.push('late'));
    expect(seen).toEqual(['kept']);
  });
});
