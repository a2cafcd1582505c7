import type { PolicyMetrics } from './metrics-recorder.js';
import { perWindowPolicies } from './policies.js';
import type { GoalCheck } from './report.js';
import { fixed, goalRows, metricsTable, percent, seconds } from './report.js';
import type { PerWindowResult } from './run-per-window.js';

const NAIVE = 'naive-rotation';
const MODES = ['Balance', 'CacheFirst', 'PerformanceFirst'];
const STICKY_MODES = new Set(['Balance', 'CacheFirst']);

/**
 * The goals of issue 10 on one variant: every Switchyard mode sends no repeat 429 and no more
 * upstream 429s than a client rotating keys by itself; the sticky modes keep ≥ 97 % stickiness.
 */
export function checkPerWindowGoals(result: PerWindowResult): GoalCheck[] {
  const byName = new Map(result.results.map((metrics) => [metrics.policy, metrics]));
  const naive = byName.get(NAIVE);
  const checks: GoalCheck[] = [];
  for (const mode of MODES) {
    const metrics = byName.get(mode);
    if (metrics === undefined) continue;
    checks.push({
      goal: '0 repeat 429s',
      policy: mode,
      value: fixed(metrics.repeat429PerThousand, 1),
      met: metrics.repeat429PerThousand === 0,
    });
    if (naive !== undefined) {
      checks.push({
        goal: '429s per 1 000 ≤ the naive key-rotating client',
        policy: mode,
        value: `${fixed(metrics.upstream429PerThousand, 1)} vs ${fixed(naive.upstream429PerThousand, 1)}`,
        met: metrics.upstream429PerThousand <= naive.upstream429PerThousand,
      });
    }
    if (STICKY_MODES.has(mode)) checks.push(stickinessCheck(mode, metrics));
  }
  return checks;
}

function stickinessCheck(mode: string, metrics: PolicyMetrics): GoalCheck {
  return {
    goal: 'stickiness ≥ 97 %',
    policy: mode,
    value: percent(metrics.stickiness, 1),
    met: metrics.stickiness >= 0.97,
  };
}

/** The per-window scenario: what it is, one table and the goal checks per variant. */
export function perWindowSection(results: readonly PerWindowResult[]): string {
  const lines = [
    '## Per-window limits (issue 10)',
    '',
    'Equal accounts, each accepting a few requests per window of seconds and saying so: every answer',
    'carries `x-ratelimit-{limit,remaining,reset}-requests` for the window (reset = when it is fully',
    'replenished), a 429 carries `Retry-After`. No quota limit, one model, conversations of',
    '20 turns at 0.7 × the capacity of the windows.',
    '',
    ...perWindowPolicies().map(({ name, description }) => `- \`${name}\`: ${description}.`),
  ];
  for (const result of results) {
    const { parameters } = result;
    const pool = Object.values(parameters.tiers).find((tier) => tier.count > 0);
    lines.push(
      '',
      `### ${result.name}`,
      '',
      `${pool?.count ?? 0} accounts × ${pool?.requestsPerWindow ?? 0} requests per ${parameters.windowKind} ` +
        `${seconds(parameters.limitWindowMs)} window; answers in ${seconds(parameters.latency.minimumMs)} + ` +
        `${seconds(parameters.latency.meanExtraMs)} (mean); think time ${seconds(parameters.meanThinkMs)} (mean); ` +
        `${result.conversations} conversations, ${fixed(result.offeredRequestsPerMinute, 1)} requests/min offered ` +
        `(capacity ${fixed(result.capacity.requestsPerMinute, 1)}/min).`,
      '',
      metricsTable(
        'policy',
        result.results.map((metrics) => ({ name: metrics.policy, metrics })),
      ),
      '',
      '| goal | policy | value | met |',
      '|---|---|--:|:-:|',
      ...goalRows(checkPerWindowGoals(result)),
    );
  }
  return lines.join('\n');
}
