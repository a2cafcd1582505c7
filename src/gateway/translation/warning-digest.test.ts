import { describe, expect, it } from 'vitest';
import type { Warning } from '../../core/model/index.js';
import { MAX_WARNING_LINES_PER_REQUEST, WarningDigest } from './warning-digest.js';

const moved = (index: number): Warning => ({ type: 'lossy', field: `messages[${index}]`, message: 'moved' });

describe('WarningDigest', () => {
  it('counts warnings of one kind in one line that names where the first occurred', () => {
    const batch = new WarningDigest().digest([moved(3), moved(5), moved(9)]);
    expect(batch).toEqual({ lines: [{ warning: moved(3), count: 3 }], omitted: 0 });
  });

  it('logs a kind once per request, however many attempts repeat it', () => {
    const digest = new WarningDigest();
    digest.digest([moved(1)]);
    expect(digest.digest([moved(1), moved(2)])).toEqual({ lines: [], omitted: 0 });
  });

  it('logs at most a fixed number of lines per request and counts the rest', () => {
    const kinds = Array.from(
      { length: MAX_WARNING_LINES_PER_REQUEST + 5 },
      (_, index): Warning => ({
        type: 'unsupported',
        field: `tools[${index}]`,
        message: `tool type ${index} dropped`,
      }),
    );
    const batch = new WarningDigest().digest([...kinds, ...kinds]);
    expect(batch.lines).toHaveLength(MAX_WARNING_LINES_PER_REQUEST);
    expect(batch.omitted).toBe(10);
  });

  it('cuts long fields and messages', () => {
    const long: Warning = {
      type: 'other',
      field: 'f'.repeat(5000),
      message: `"${'m'.repeat(5000)}" blocks dropped`,
    };
    const [line] = new WarningDigest().digest([long]).lines;
    expect(line?.warning.field.length).toBeLessThan(400);
    expect(line?.warning.message.length).toBeLessThan(400);
  });
});
