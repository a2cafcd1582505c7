/**
 * Request log handoff benchmark (`npm run bench:handoff`): what it costs, per row, to hand a batch
 * of request log rows from the gateway thread to the request log worker, for three designs:
 *
 * - `clone`: what `RequestLogThread` does — the rows' values in one flat array (`flattenRows`),
 *   posted, so the message port's structured clone copies them; the worker splits them into rows
 *   (`eachPostedRow`, as `RequestLogWriter.enqueueValues`);
 * - `bytes`: the rows encoded into one `ArrayBuffer` (`handoff/row-bytes.ts`), transferred (no
 *   copy), decoded on the worker;
 * - `json`: the rows as one JSON text, posted, parsed on the worker.
 *
 * Sender and receiver are timed apart (CPU time of this thread, per row), over a `MessageChannel`
 * read with `receiveMessageOnPort`, so each side is measured alone. The designs alternate within
 * each round; the median round counts. Writes bench/results/handoff.md and handoff.json.
 *
 * Options: `--rows N` (rows per batch, default 500: 100 ms of a saturated gateway), `--batches N`
 * (per design and round, default 200), `--rounds N` (default 7).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { MessageChannel, receiveMessageOnPort } from 'node:worker_threads';
import { sampleRequestLogEntry } from '../src/observability/sample-request-log-entry.js';
import { toRequestLogValues } from '../src/observability/to-request-log-row.js';
import {
  eachPostedRow,
  flattenRows,
  type PostedRequestLogValues,
  type RequestLogValues,
  storedListColumns,
} from '../src/store/request-log-columns.js';
import { decodeRows, encodeRows, type RowBytes } from './handoff/row-bytes.js';

/** One design: what the gateway thread posts, and what the worker makes of what it receives. */
interface Design {
  id: string;
  label: string;
  send: (port: MessagePort, rows: PostedRequestLogValues[]) => void;
  receive: (message: unknown) => RequestLogValues[];
}

type MessagePort = InstanceType<typeof MessageChannel>['port1'];

export const DESIGNS: readonly Design[] = [
  {
    id: 'clone',
    label: 'flat array, structured clone (what the gateway does)',
    send: (port, rows) => port.postMessage(flattenRows(rows)),
    receive: (message) => {
      const rows: RequestLogValues[] = [];
      eachPostedRow(message as PostedRequestLogValues, (row) => rows.push(row));
      return rows;
    },
  },
  {
    id: 'bytes',
    label: 'encoded into an ArrayBuffer, transferred',
    send: (port, rows) => {
      const batch = encodeRows(rows);
      port.postMessage(batch, [batch.buffer]);
    },
    receive: (message) => decodeRows(message as RowBytes),
  },
  {
    id: 'json',
    label: 'one JSON text, posted',
    send: (port, rows) => port.postMessage(JSON.stringify(rows)),
    receive: (message) => (JSON.parse(message as string) as PostedRequestLogValues[]).map(storedListColumns),
  },
];

let serial = 0;

/** A batch of rows as the gateway thread queues them: a successful request each, ids all different. */
export function sampleRows(count: number): PostedRequestLogValues[] {
  const rows: PostedRequestLogValues[] = [];
  for (let index = 0; index < count; index++) {
    serial += 1;
    const entry = sampleRequestLogEntry({
      id: `req_${(1_780_000_000_000 + serial).toString(36)}9f3a1c${serial.toString(16).padStart(6, '0')}`,
      time: 1_780_000_000_000 + serial,
      sessionId: `sid-${serial.toString(16).padStart(16, '0')}`,
      latencyMs: 100 + (serial % 50),
    });
    rows.push(toRequestLogValues(entry, { keepBodies: false, maxBodyChars: 0 }));
  }
  return rows;
}

/** CPU µs of this thread, user + system. */
function cpuMicros(): number {
  const { user, system } = process.cpuUsage();
  return user + system;
}

/** One round of one design: ns of CPU per row on each side. */
function runDesign(design: Design, options: { rows: number; batches: number }) {
  const { port1, port2 } = new MessageChannel();
  let sendUs = 0;
  let receiveUs = 0;
  for (let batch = 0; batch < options.batches; batch++) {
    const rows = sampleRows(options.rows);
    const sendStart = cpuMicros();
    design.send(port1, rows);
    const receiveStart = cpuMicros();
    const received = receiveMessageOnPort(port2);
    const stored = design.receive(received?.message);
    receiveUs += cpuMicros() - receiveStart;
    sendUs += receiveStart - sendStart;
    if (stored.length !== options.rows)
      throw new Error(`${design.id}: ${stored.length} rows arrived of ${options.rows}`);
  }
  port1.close();
  port2.close();
  const perRow = (micros: number) => (micros * 1000) / (options.rows * options.batches);
  return { sendNs: perRow(sendUs), receiveNs: perRow(receiveUs) };
}

function median(values: number[]): number {
  const sorted = [...values].sort((left, right) => left - right);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

function main(): void {
  const { values } = parseArgs({
    options: {
      rows: { type: 'string', default: '500' },
      batches: { type: 'string', default: '200' },
      rounds: { type: 'string', default: '7' },
    },
  });
  const options = { rows: Number(values.rows), batches: Number(values.batches) };
  const rounds = Number(values.rounds);
  for (const [name, value] of Object.entries({ ...options, rounds }))
    if (!Number.isInteger(value) || value < 1)
      throw new Error(`--${name} must be a positive integer, got ${value}`);
  // Compile every design's path before anything is timed.
  for (const design of DESIGNS) runDesign(design, { rows: options.rows, batches: 20 });
  const results = DESIGNS.map((design) => ({ design, send: [] as number[], receive: [] as number[] }));
  for (let round = 0; round < rounds; round++)
    for (const result of results) {
      const { sendNs, receiveNs } = runDesign(result.design, options);
      result.send.push(sendNs);
      result.receive.push(receiveNs);
    }
  const rows = results.map(({ design, send, receive }) => ({
    id: design.id,
    label: design.label,
    sendNs: median(send),
    receiveNs: median(receive),
    rounds: { send, receive },
  }));
  const clone = rows.find((row) => row.id === 'clone');
  const total = (row: { sendNs: number; receiveNs: number }) => row.sendNs + row.receiveNs;
  const lines = [
    '# Request log handoff: gateway thread to worker, per row',
    '',
    `${new Date().toISOString()}, Node ${process.version}, ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, load average ${loadavg()[0]?.toFixed(1)}. Batches of ${options.rows} rows (a successful request each, bodies not kept), ${options.batches} batches per design and round, median of ${rounds} rounds; CPU ns per row. \`npm run bench:handoff\`.`,
    '',
    '| design | gateway thread (send) | worker (receive, rows ready to insert) | both | both ÷ clone |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...rows.map(
      (row) =>
        `| ${row.id}: ${row.label} | ${row.sendNs.toFixed(0)} | ${row.receiveNs.toFixed(0)} | ${total(row).toFixed(0)} | ${clone ? (total(row) / total(clone)).toFixed(2) : '–'} |`,
    ),
    '',
  ];
  const report = lines.join('\n');
  process.stdout.write(report);
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/handoff.md', report);
  writeFileSync(
    'bench/results/handoff.json',
    `${JSON.stringify({ options: { ...options, rounds }, rows }, null, 2)}\n`,
  );
}

if (process.argv[1]?.endsWith('handoff.js')) main();
