import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type DurationObject, parseDuration } from './parse-duration.js';

describe('parseDuration', () => {
  it.each<[string, string | DurationObject, number]>([
    ['fractional seconds', '1.5s', 1_500],
    ['hours, minutes and fractional seconds', '3h2m1.5s', 10_921_500],
    ['milliseconds', '500ms', 500],
    ['a few milliseconds (OpenAI reset-requests)', '20ms', 20],
    ['OpenAI reset-tokens style', '6m0s', 360_000],
    ['hours only', '1h', 3_600_000],
    ['protobuf seconds with nanosecond digits, rounded up', '9365.870204634s', 9_365_871],
    ['Code Assist quotaResetDelay', '161h39m41.300432511s', 581_981_301],
    ['a leading dot', '.5s', 500],
    ['microseconds round up to a whole ms', '100us', 1],
    ['micro sign', '2500µs', 3],
    ['nanoseconds', '1500000ns', 2],
    ['spaces between tokens', ' 1h 30m ', 5_400_000],
    ['{seconds} as a number', { seconds: 30 }, 30_000],
    ['{seconds} as a string (protobuf int64 JSON)', { seconds: '581981' }, 581_981_000],
    ['{seconds, nanos}', { seconds: '30', nanos: 500_000_000 }, 30_500],
    ['{nanos} only, rounded up', { nanos: 1_500_000 }, 2],
  ])('%s: %j → %d ms', (_name, input, expected) => {
    expect(parseDuration(input)).toBe(expected);
  });

  it.each<[string, string | DurationObject]>([
    ['empty', ''],
    ['words', 'soon'],
    ['a bare number (unit unknown)', '5'],
    ['a bare decimal', '1.5'],
    ['a unit alone', 's'],
    ['two dots', '1.5.s'],
    ['negative', '-1s'],
    ['unknown unit', '1x'],
    ['a trailing number without unit', '1h30'],
    ['upper-case unit', '1S'],
    ['trailing junk', '5s please'],
    ['zero seconds', '0s'],
    ['zero milliseconds', '0ms'],
    ['zero compound', '0h0m0s'],
    ['an empty object', {}],
    ['zero seconds object', { seconds: 0 }],
    ['negative seconds', { seconds: -1 }],
    ['non-numeric seconds', { seconds: 'abc' }],
    ['NaN seconds', { seconds: Number.NaN }],
    ['infinite seconds', { seconds: Number.POSITIVE_INFINITY }],
  ])('rejects %s', (_name, input) => {
    expect(parseDuration(input)).toBeNull();
  });

  it('never throws and returns a positive integer or null for any input', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.anything()), (input) => {
        const result = parseDuration(input as string);
        return result === null || (Number.isInteger(result) && result > 0);
      }),
    );
  });

  it('reads every whole-millisecond "S.mmms" exactly, without floating-point rounding up', () => {
    const wrong: string[] = [];
    for (let millis = 1; millis < 60_000; millis++) {
      const text = `${millis / 1000}s`;
      if (parseDuration(text) !== millis) wrong.push(text);
    }
    expect(wrong).toEqual([]);
  });

  it('agrees with the sum of its parts for generated h/m/s durations', () => {
    fc.assert(
      fc.property(fc.nat(99), fc.nat(59), fc.nat(59_999), (hours, minutes, millis) => {
        fc.pre(hours + minutes + millis > 0);
        const text = `${hours}h${minutes}m${millis / 1000}s`;
        return parseDuration(text) === hours * 3_600_000 + minutes * 60_000 + millis;
      }),
    );
  });
});
