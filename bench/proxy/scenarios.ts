import type { TargetSpec } from './targets.js';
import type { WireProtocol } from './wire-samples.js';

/**
 * One row of the proxy benchmark: a target, the protocol its client speaks, and what its latency is
 * compared with. Adding a row is adding one entry to `SCENARIOS`.
 */
export interface Scenario {
  /** Stable key in proxy.json; other rows name it as their `baseline`. */
  id: string;
  /** Row label in the table. */
  label: string;
  target: TargetSpec;
  /** The protocol of the requests sent to the target. */
  client: WireProtocol;
  /**
   * The row whose latency this one is compared with: the mock answering in the protocol this row's
   * upstream speaks. Null for the mock rows themselves.
   */
  baseline: string | null;
  /** Whether to measure stream time to first byte. */
  streams: boolean;
  /**
   * The row needs the gateway to translate between protocols: while the gateway answers 400
   * `unsupported_translation` it is skipped with the note "translation not available yet".
   */
  translation?: boolean;
  /** Shown under the table, e.g. why streams are not measured. */
  note?: string;
  /**
   * The row this one's cost is compared with in the cluster table (Redis + PostgreSQL against
   * memory + SQLite, three instances against one); `--only` selects it too.
   */
  comparedWith?: string;
}

/** Whether the row needs the benchmark's own Redis and PostgreSQL (the rows `--no-cluster` skips). */
export function needsSharedServices(scenario: Scenario): boolean {
  return scenario.target.kind === 'switchyard' && scenario.target.shared === true;
}

/** Saturation ratios are given against this row (the practical ceiling). */
export const CEILING_ROW = 'bare-proxy';

export const SCENARIOS: readonly Scenario[] = [
  {
    id: 'mock',
    label: '(a) mock upstream, direct',
    target: { kind: 'mock' },
    client: 'openai',
    baseline: null,
    streams: true,
  },
  {
    id: 'mock-anthropic',
    label: '(a) mock upstream, direct, Anthropic Messages',
    target: { kind: 'mock' },
    client: 'anthropic',
    baseline: null,
    streams: true,
  },
  {
    id: 'bare-proxy',
    label: '(b) bare Node proxy',
    target: { kind: 'bare-proxy' },
    client: 'openai',
    baseline: 'mock',
    streams: true,
  },
  {
    id: 'switchyard',
    label: '(c) Switchyard pass-through, OpenAI client → openai account',
    target: { kind: 'switchyard', accounts: 'openai' },
    client: 'openai',
    baseline: 'mock',
    streams: true,
  },
  {
    id: 'switchyard-no-log',
    label: '(c) Switchyard pass-through, request log off',
    target: { kind: 'switchyard', accounts: 'openai', config: { proxy: { enable_logging: false } } },
    client: 'openai',
    baseline: 'mock',
    streams: true,
    note: 'the same as (c) with `proxy.enable_logging: false`: what the request log costs',
  },
  {
    id: 'portkey',
    label: '(d) Portkey gateway, OpenAI → custom host',
    target: { kind: 'portkey' },
    client: 'openai',
    baseline: 'mock',
    streams: false,
    note: 'streams not measured: its streaming fails on Node 20',
  },
  {
    id: 'switchyard-openai-to-anthropic',
    label: '(e) Switchyard translation, OpenAI client → anthropic account',
    target: { kind: 'switchyard', accounts: 'anthropic' },
    client: 'openai',
    baseline: 'mock-anthropic',
    streams: true,
    translation: true,
  },
  {
    id: 'switchyard-anthropic-to-openai',
    label: '(f) Switchyard translation, Anthropic client → openai account',
    target: { kind: 'switchyard', accounts: 'openai' },
    client: 'anthropic',
    baseline: 'mock',
    streams: true,
    translation: true,
  },
  {
    id: 'switchyard-redis-postgres',
    label: '(g) Switchyard pass-through, Redis state + PostgreSQL store',
    target: { kind: 'switchyard', accounts: 'openai', shared: true },
    client: 'openai',
    baseline: 'mock',
    streams: true,
    comparedWith: 'switchyard',
    note: 'the same as (c) with `state.backend: redis` and `store.backend: postgres` on the benchmark’s own local servers (`state.command_timeout_ms: 1000`, so a slow reply on a busy machine does not switch it to its local fallback): what shared state costs one instance (the CPU of Redis and PostgreSQL is counted apart, in the cluster table)',
  },
  {
    id: 'switchyard-three-instances',
    label: '(h) three Switchyard instances, Redis + PostgreSQL, requests round robin over them',
    target: { kind: 'switchyard', accounts: 'openai', shared: true, instances: 3 },
    client: 'openai',
    baseline: 'mock',
    streams: true,
    comparedWith: 'switchyard-redis-postgres',
    note: 'the load generator sends request i to instance i mod 3 (no balancer in between); CPU µs/req and RSS are the sums over the three processes, which share the machine’s cores with each other, Redis and PostgreSQL',
  },
];

/**
 * The chosen rows plus the baselines, compared rows and the ceiling row their numbers are relative
 * to; without the Redis + PostgreSQL rows when `cluster` is false.
 */
export function selectScenarios(options: {
  only: string | undefined;
  before: string | undefined;
  cluster: boolean;
}): Scenario[] {
  const all = (options.before ? withBeforeRow(options.before) : SCENARIOS).filter(
    (scenario) => options.cluster || !needsSharedServices(scenario),
  );
  if (!options.only) return all;
  const wanted = new Set(options.only.split(',').map((id) => id.trim()));
  const unknown = [...wanted].filter((id) => !all.some((scenario) => scenario.id === id));
  if (unknown.length > 0) throw new Error(`--only names no row ${unknown.join(', ')} (see --help)`);
  wanted.add(CEILING_ROW);
  if (options.before) for (const id of BEFORE_ROWS) if (wanted.has(id)) wanted.add(`${id}-before`);
  // Compared rows have baselines and compared rows of their own: add until nothing changes.
  for (let size = 0; size !== wanted.size; ) {
    size = wanted.size;
    for (const scenario of all) {
      if (!wanted.has(scenario.id)) continue;
      if (scenario.baseline) wanted.add(scenario.baseline);
      if (scenario.comparedWith) wanted.add(scenario.comparedWith);
    }
  }
  return all.filter((scenario) => wanted.has(scenario.id));
}

/** The pass-through and translation rows `--before` runs again on the other build. */
const BEFORE_ROWS: ReadonlySet<string> = new Set([
  'switchyard',
  'switchyard-no-log',
  'switchyard-openai-to-anthropic',
  'switchyard-anthropic-to-openai',
]);

/** Whether the row is another build's run of a row (`--before`). */
export function isBeforeRow(id: string): boolean {
  return id.endsWith('-before');
}

/**
 * The scenarios with the pass-through and translation rows run again on the build in `root`
 * (absolute), each right after its own.
 */
function withBeforeRow(root: string): Scenario[] {
  return SCENARIOS.flatMap((scenario) =>
    BEFORE_ROWS.has(scenario.id) && scenario.target.kind === 'switchyard'
      ? [
          scenario,
          {
            ...scenario,
            id: `${scenario.id}-before`,
            label: `${scenario.label}, build in ${root}`,
            target: { ...scenario.target, root },
            note: `the same as ${scenario.id} on another build (\`--before\`): before/after side by side`,
          },
        ]
      : [scenario],
  );
}
