import type { PolicyMetrics } from './metrics-recorder.js';
import type { BenchmarkResult, LoadPointResult } from './run-benchmark.js';

/** One goal of the benchmark, checked against one policy's numbers. */
export interface GoalCheck {
  goal: string;
  policy: string;
  value: string;
  met: boolean;
}

/** Where the goals are judged: capacity = 1.25 × load. */
export const GOAL_LOAD_POINT = 1.25;
const SWITCHYARD_PREFIXES = ['Balance', 'CacheFirst', 'PerformanceFirst'];

function isSwitchyard(metrics: PolicyMetrics): boolean {
  return SWITCHYARD_PREFIXES.some((prefix) => metrics.policy.startsWith(prefix));
}

/**
 * The goals of issue 3 at one load point: Balance (with and without quota protection) succeeds
 * ≥ 99.9 %, keeps ≥ 97 % stickiness and sends fewer 429-answered calls than the reference; no
 * Switchyard policy sends to an account that is locked for the model.
 */
export function checkGoals(point: LoadPointResult): GoalCheck[] {
  const byName = new Map(point.results.map((metrics) => [metrics.policy, metrics]));
  const reference = byName.get('reference');
  const checks: GoalCheck[] = [];
  for (const name of ['Balance', 'Balance+protect']) {
    const metrics = byName.get(name);
    if (metrics === undefined) continue;
    checks.push(
      {
        goal: 'success ≥ 99.9 %',
        policy: name,
        value: percent(metrics.successRate, 2),
        met: metrics.successRate >= 0.999,
      },
      {
        goal: 'stickiness ≥ 97 %',
        policy: name,
        value: percent(metrics.stickiness, 1),
        met: metrics.stickiness >= 0.97,
      },
    );
    if (reference !== undefined) {
      checks.push({
        goal: '429s per 1 000 below the reference',
        policy: name,
        value: `${fixed(metrics.upstream429PerThousand, 1)} vs ${fixed(reference.upstream429PerThousand, 1)}`,
        met: metrics.upstream429PerThousand < reference.upstream429PerThousand,
      });
    }
  }
  for (const metrics of point.results.filter(isSwitchyard)) {
    checks.push({
      goal: '0 calls to locked accounts',
      policy: metrics.policy,
      value: lockedCell(metrics),
      met: metrics.sendsToLockedAccounts === 0,
    });
  }
  return checks;
}

const COLUMNS =
  'success | sticky | 429/1k (window + quota) | repeat 429/1k | 5xx/1k | calls to locked | load CV | max/mean | calls/request | waits/1k |';
const RULE = '|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|';

export const COLUMN_NOTES = [
  "Columns: *sticky* = share of turns after a conversation's first success served by the account of its previous success;",
  '*429/1k* = upstream 429 answers per 1 000 client requests (request-window limit + quota); *repeat 429/1k* = 429s from',
  "an account inside a window it had already announced (a 429's Retry-After, or remaining: 0 until a reset) when the",
  'call was sent; *calls to locked* = upstream calls',
  'to an account the state store held locked for the model at send time, by how the gateway came to send them;',
  '*load CV* and *max/mean* = spread of upstream calls over the accounts; *calls/request* = upstream calls per client',
  'request; *waits/1k* = `wait` decisions per 1 000 requests.',
];

/** Rows of metrics as a markdown table whose first column is `label`. */
export function metricsTable(
  label: string,
  rows: readonly { name: string; metrics: PolicyMetrics }[],
): string {
  const lines = rows.map(({ name, metrics }) =>
    [
      name,
      percent(metrics.successRate, 2),
      percent(metrics.stickiness, 1),
      `${fixed(metrics.upstream429PerThousand, 1)} (${fixed(metrics.minuteLimit429PerThousand, 1)} + ${fixed(metrics.quota429PerThousand, 1)})`,
      fixed(metrics.repeat429PerThousand, 1),
      fixed(metrics.serverErrorsPerThousand, 1),
      lockedCell(metrics),
      fixed(metrics.loadCv, 2),
      fixed(metrics.loadMaxOverMean, 2),
      fixed(metrics.attemptsPerRequest, 3),
      fixed(metrics.waitsPerThousand, 1),
    ].join(' | '),
  );
  return [`| ${label} | ${COLUMNS}`, RULE, ...lines.map((line) => `| ${line} |`)].join('\n');
}

/** One load point: the policy table, then the threshold sweep and the what-if variants. */
export function loadPointSection(point: LoadPointResult): string {
  const lines = [
    `## Capacity = ${point.capacityOverLoad} × load`,
    '',
    `${point.conversations} conversations, ${fixed(point.offeredRequestsPerMinute, 1)} requests/min offered.`,
    '',
    metricsTable(
      'policy',
      point.results.map((metrics) => ({ name: metrics.policy, metrics })),
    ),
  ];
  if (point.thresholdSweep.length > 0) {
    const rows = point.thresholdSweep.map(({ thresholdPercentage, metrics }) => ({
      name: `${thresholdPercentage} %`,
      metrics,
    }));
    lines.push('', 'Balance with quota protection at other thresholds:', '', metricsTable('threshold', rows));
  }
  if (point.whatIf.length > 0) {
    const rows = point.whatIf.map(({ change, metrics }) => ({ name: change, metrics }));
    lines.push('', 'Balance+protect compared with the previous gateway:', '', metricsTable('change', rows));
  }
  return lines.join('\n');
}

/** The whole result as markdown: parameters, one table per load point, the goal checks. */
export function renderMarkdown(result: BenchmarkResult, meta: { date: string; node: string }): string {
  const { parameters, capacity } = result;
  const tiers = Object.entries(parameters.tiers)
    .map(
      ([tier, limits]) =>
        `${limits.count} ${tier} (${limits.requestsPerWindow}/${seconds(parameters.limitWindowMs)}, ${limits.quotaPerModel}/model/period)`,
    )
    .join(', ');
  const lines = [
    '# Scheduling simulation',
    '',
    `Seed ${parameters.seed}, ${meta.date}, Node ${meta.node}.`,
    `Pool: ${tiers}; models ${parameters.models.map((model) => `${model.id} ${percent(model.share, 0)}`).join(', ')}.`,
    `Quota period ${hours(parameters.quotaPeriodMs)}, ${parameters.windowKind} ${seconds(parameters.limitWindowMs)} limit window, ` +
      `${hours(parameters.durationMs)} of arrivals, ${parameters.turnsPerConversation} turns per conversation, ` +
      `think time ${parameters.meanThinkMs / 1000} s (mean), ${percent(parameters.serverErrorRate, 1)} background 5xx.`,
    `Capacity ${fixed(capacity.requestsPerMinute, 1)} requests/min (quota-bound; the minute limits add up to ` +
      `${capacity.windowLimitRequestsPerMinute}/min). Quota protection of the \`+protect\` rows: below ${result.protectionPercentage} %.`,
  ];
  lines.push(
    '',
    ...COLUMN_NOTES,
    '',
    ...result.policies.map(({ name, description }) => `- \`${name}\`: ${description}.`),
  );
  for (const point of result.loadPoints) lines.push('', loadPointSection(point));
  const goalPoint = result.loadPoints.find((point) => point.capacityOverLoad === GOAL_LOAD_POINT);
  if (goalPoint !== undefined) {
    lines.push(
      '',
      `## Goals at capacity = ${GOAL_LOAD_POINT} × load`,
      '',
      '| goal | policy | value | met |',
      '|---|---|--:|:-:|',
    );
    lines.push(...goalRows(checkGoals(goalPoint)));
  }
  return `${lines.join('\n')}\n`;
}

/** Goal checks as markdown table rows (after a `| goal | policy | value | met |` header). */
export function goalRows(checks: readonly GoalCheck[]): string[] {
  return checks.map(
    (check) => `| ${check.goal} | ${check.policy} | ${check.value} | ${check.met ? 'yes' : '**no**'} |`,
  );
}

function lockedCell(metrics: PolicyMetrics): string {
  const paths = Object.entries(metrics.lockedSendsByPath).filter(([, count]) => count > 0);
  if (paths.length === 0) return String(metrics.sendsToLockedAccounts);
  return `${metrics.sendsToLockedAccounts} (${paths.map(([path, count]) => `${path} ${count}`).join(', ')})`;
}

export function percent(fraction: number, digits: number): string {
  return `${(fraction * 100).toFixed(digits)} %`;
}

export function fixed(value: number, digits: number): string {
  return value.toFixed(digits);
}

function hours(milliseconds: number): string {
  return `${milliseconds / 3_600_000} h`;
}

export function seconds(milliseconds: number): string {
  return `${milliseconds / 1000} s`;
}
