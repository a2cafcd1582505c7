/**
 * The rows of `npm run bench:layers`, `--only`'s selection of them, and the translation rows' CPU
 * per request against pass-through's. Pure: `bench/layers.ts` starts the targets and runs the load.
 */
import type { TargetSpec } from '../proxy/targets.js';
import type { WireProtocol } from '../proxy/wire-samples.js';

export interface Row {
  id: string;
  label: string;
  spec: TargetSpec;
  /** The protocol the load speaks to the row; OpenAI Chat Completions when absent. */
  client?: WireProtocol;
  /** Switchyard translating between protocols, request log on: compared with pass-through's CPU. */
  translation?: true;
}

export const ROWS: readonly Row[] = [
  { id: 'bare-proxy', label: 'bare Node proxy', spec: { kind: 'bare-proxy' } },
  { id: 'bare-fastify-proxy', label: 'bare proxy on Fastify', spec: { kind: 'bare-fastify-proxy' } },
  {
    id: 'bare-dispatch-proxy',
    label: 'bare proxy without streams',
    spec: { kind: 'bare-dispatch-proxy' },
  },
  { id: 'switchyard', label: 'Switchyard, request log on', spec: { kind: 'switchyard', accounts: 'openai' } },
  {
    id: 'switchyard-no-log',
    label: 'Switchyard, request log off',
    spec: { kind: 'switchyard', accounts: 'openai', config: { proxy: { enable_logging: false } } },
  },
  // Translation, request log on: what the translation goal (≤ 1.2 × pass-through) is made of.
  {
    id: 'switchyard-openai-to-anthropic',
    label: 'Switchyard translation, OpenAI client → anthropic account',
    spec: { kind: 'switchyard', accounts: 'anthropic' },
    translation: true,
  },
  {
    id: 'switchyard-anthropic-to-openai',
    label: 'Switchyard translation, Anthropic client → openai account',
    spec: { kind: 'switchyard', accounts: 'openai' },
    client: 'anthropic',
    translation: true,
  },
];

export const ROWS_USAGE = ROWS.map((row) => row.id).join(', ');

/** The rows `--only` names (all when absent); an unknown id is an error that lists the known ones. */
export function selectRows(only: string | undefined): readonly Row[] {
  if (only === undefined) return ROWS;
  const ids = only
    .split(',')
    .map((id) => id.trim())
    .filter((id) => id !== '');
  const unknown = ids.filter((id) => !ROWS.some((row) => row.id === id));
  if (unknown.length > 0 || ids.length === 0)
    throw new Error(
      `--only: unknown row ${unknown.map((id) => `"${id}"`).join(', ') || '(none given)'}; the rows are ${ROWS_USAGE}`,
    );
  return ROWS.filter((row) => ids.includes(row.id));
}

/** A row's CPU time over its measured rounds (seconds, all threads) and the requests it served. */
export interface RowCpu {
  requests: number;
  cpuSeconds: number;
}

/** Total CPU µs per request of a row, from /proc; null when the row did not run. */
function cpuPerRequest(results: ReadonlyMap<string, RowCpu>, id: string): number | null {
  const measured = results.get(id);
  if (!measured || measured.requests === 0) return null;
  return (measured.cpuSeconds * 1e6) / measured.requests;
}

/** Each translation row's CPU per request against pass-through's (both with the request log on). */
export function translationRatios(rows: readonly Row[], results: ReadonlyMap<string, RowCpu>): string[] {
  const passThrough = cpuPerRequest(results, 'switchyard');
  if (passThrough === null) return [];
  const lines: string[] = [];
  for (const row of rows) {
    if (!row.translation) continue;
    const translated = cpuPerRequest(results, row.id);
    if (translated === null) continue;
    lines.push(
      `- ${row.label}: ${(translated / passThrough).toFixed(2)} × pass-through (${format(translated)} against ${format(passThrough)} µs)`,
    );
  }
  return lines.length === 0
    ? []
    : ['', 'Translation against pass-through, CPU per request (goal ≤ 1.2 ×):', '', ...lines];
}

/** µs as the report prints them: whole numbers from 10 up, one decimal below. */
export const format = (value: number) => (value >= 9.95 ? value.toFixed(0) : value.toFixed(1));
