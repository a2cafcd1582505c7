import { describe, expect, it } from 'vitest';
import {
  distinctValues,
  filterLogs,
  isErrorRecord,
  type LogFilter,
  mergeLogs,
  NO_LOG_FILTER,
} from './log-filter.js';
import { sampleLog } from './sample-records.js';

const records = [
  sampleLog({ id: 'ok-openai' }),
  sampleLog({
    id: 'limited',
    status: 429,
    error: 'all accounts limited',
    account_email: null,
    accounts_tried: ['one@example.com', 'two@example.com'],
  }),
  sampleLog({
    id: 'anthropic',
    protocol: 'anthropic-messages',
    client_model: 'claude-sonnet-4',
    mapped_model: 'claude-sonnet-4-20250514',
    account_email: 'two@example.com',
    accounts_tried: ['two@example.com'],
    session_id: 'sid-feedbeefcafe0000',
  }),
  sampleLog({ id: 'stream-error', status: 200, error: 'upstream reset mid-stream' }),
];

describe('filterLogs', () => {
  it.each<{ filter: Partial<LogFilter>; ids: string[] }>([
    { filter: {}, ids: ['ok-openai', 'limited', 'anthropic', 'stream-error'] },
    { filter: { errorsOnly: true }, ids: ['limited', 'stream-error'] },
    { filter: { protocol: 'anthropic-messages' }, ids: ['anthropic'] },
    { filter: { account: 'two@example.com' }, ids: ['limited', 'anthropic'] },
    { filter: { model: 'claude-sonnet-4-20250514' }, ids: ['anthropic'] },
    { filter: { model: 'claude-sonnet-4' }, ids: ['anthropic'] },
    { filter: { text: 'FEEDBEEF' }, ids: ['anthropic'] },
    { filter: { text: 'mid-stream' }, ids: ['stream-error'] },
    { filter: { text: '429' }, ids: ['limited'] },
    { filter: { errorsOnly: true, account: 'two@example.com' }, ids: ['limited'] },
  ])('with $filter shows $ids', ({ filter, ids }) => {
    expect(filterLogs(records, { ...NO_LOG_FILTER, ...filter }).map((record) => record.id)).toEqual(ids);
  });
});

describe('isErrorRecord', () => {
  it('counts an error status or a recorded error as a failure', () => {
    expect(isErrorRecord({ status: 200, error: null })).toBe(false);
    expect(isErrorRecord({ status: 399, error: null })).toBe(false);
    expect(isErrorRecord({ status: 400, error: null })).toBe(true);
    expect(isErrorRecord({ status: 200, error: 'stream cut' })).toBe(true);
  });
});

describe('distinctValues', () => {
  it('lists each value once, sorted, without empty ones', () => {
    expect(distinctValues(records, 'account_email')).toEqual(['one@example.com', 'two@example.com']);
    expect(distinctValues(records, 'protocol')).toEqual(['anthropic-messages', 'openai-chat']);
  });
});

describe('mergeLogs', () => {
  it('keeps one entry per id (the incoming one), newest first, within the limit', () => {
    const held = [sampleLog({ id: 'b', time: 2 }), sampleLog({ id: 'a', time: 1 })];
    const incoming = [sampleLog({ id: 'c', time: 3 }), sampleLog({ id: 'a', time: 1, status: 500 })];
    const merged = mergeLogs({ records: held, incoming, limit: 10 });
    expect(merged.map((record) => [record.id, record.status])).toEqual([
      ['c', 200],
      ['b', 200],
      ['a', 500],
    ]);
    expect(mergeLogs({ records: held, incoming, limit: 2 }).map((record) => record.id)).toEqual(['c', 'b']);
  });
});
