import { MessageChannel, receiveMessageOnPort } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { decodeRows, encodeRows } from '../../bench/handoff/row-bytes.js';
import { DESIGNS, sampleRows } from '../../bench/handoff.js';
import { sampleRequestLogEntry } from '../../src/observability/sample-request-log-entry.js';
import { toRequestLogValues } from '../../src/observability/to-request-log-row.js';
import { type PostedRequestLogValues, storedListColumns } from '../../src/store/request-log-columns.js';

/** Rows with every kind of value: nulls, fractions, non-ASCII text, empty and long lists, bodies. */
function awkwardRows(): PostedRequestLogValues[] {
  const kept = { keepBodies: true, maxBodyChars: 10_000 };
  return [
    ...sampleRows(3),
    toRequestLogValues(
      sampleRequestLogEntry({
        id: 'req_ünïcode',
        accountEmail: 'zoë@exämple.com',
        accountsTried: ['zoë@exämple.com', 'b@example.com', '😀'],
        modelsTried: [],
        latencyMs: 12.5,
        ttfbMs: null,
        usage: null,
        error: 'upstream said “no” — 429',
        requestBody: '{"messages":[{"content":"日本語 and 😀"}]}',
      }),
      kept,
    ),
    toRequestLogValues(sampleRequestLogEntry({ id: 'req_plain', clientKeyId: 'key-1', status: 502 }), kept),
  ];
}

/** What the worker must end up with: each row as stored column values. */
function expected(rows: readonly PostedRequestLogValues[]) {
  return rows.map((row) => storedListColumns([...row]));
}

describe('request log handoff designs', () => {
  it.each(DESIGNS.map((design) => [design.id, design] as const))(
    '%s: the worker gets every row exactly as stored',
    (_id, design) => {
      const rows = awkwardRows();
      const { port1, port2 } = new MessageChannel();
      try {
        design.send(port1, rows);
        expect(design.receive(receiveMessageOnPort(port2)?.message)).toEqual(expected(rows));
      } finally {
        port1.close();
        port2.close();
      }
    },
  );

  it('bytes: a transferred batch leaves the sender with an empty buffer (no copy was made)', () => {
    const rows = awkwardRows();
    const batch = encodeRows(rows);
    const { port1, port2 } = new MessageChannel();
    try {
      port1.postMessage(batch, [batch.buffer]);
      expect(batch.buffer.byteLength).toBe(0);
      const received = receiveMessageOnPort(port2)?.message as typeof batch;
      expect(decodeRows(received)).toEqual(expected(rows));
    } finally {
      port1.close();
      port2.close();
    }
  });

  it('sample rows are all different requests', () => {
    const ids = sampleRows(50).map((row) => row[0]);
    expect(new Set(ids).size).toBe(50);
  });
});
