import { type Command, Option } from 'commander';
import { findClientKey } from '../admin/key-input.js';

import { type UsageReportView, type UsageTotalsView, usageQuery } from '../admin/usage-contracts.js';
import { buildUsageReport, usageLabeler, usageStoreQuery } from '../admin/usage-report.js';
import { systemClock } from '../core/clock.js';
import { parseOrThrow } from '../core/validation.js';
import { USAGE_COUNTERS, UsageStore } from '../store/usage-store.js';
import { findAccount } from './accounts-command.js';
import { withCliStore } from './cli-store.js';
import { formatTable } from './format-table.js';

interface UsageFlags {
  dataDir?: string;
  by: string;
  since: string;
  bucket?: string;
  key?: string;
  account?: string;
  model?: string;
  json?: boolean;
  csv?: boolean;
}

function cells(totals: UsageTotalsView): string[] {
  return [...USAGE_COUNTERS.map((column) => String(totals[column])), `$${totals.estimated_cost.toFixed(4)}`];
}

/** One row per group and its total, then the caveats: costs are estimates, some models unpriced. */
export function formatUsageTable(report: UsageReportView): string {
  const head = [
    report.by.toUpperCase(),
    'REQUESTS',
    'ERRORS',
    'INPUT',
    'OUTPUT',
    'CACHE READ',
    'CACHE WRITE',
    'REASONING',
    'EST. COST',
  ];
  const table = formatTable([
    head,
    ...report.groups.map((group) => [group.label, ...cells(group.totals)]),
    ['TOTAL', ...cells(report.totals)],
  ]);
  const notes = [
    `${report.since} to ${report.until} (UTC). Costs are estimates in US dollars from the price table (pricing.models in gui_config.json).`,
  ];
  if (report.unpriced_models.length > 0)
    notes.push(`No price for ${report.unpriced_models.join(', ')}: counted as $0.`);
  return `${table}\n${notes.join('\n')}\n`;
}

/** One line per group and bucket, for spreadsheets: `bucket_start,by,id,label,requests,…,estimated_cost_usd`. */
export function formatUsageCsv(report: UsageReportView): string {
  const lines = [['bucket_start', 'by', 'id', 'label', ...USAGE_COUNTERS, 'estimated_cost_usd'].join(',')];
  for (const group of report.groups) {
    for (const bucket of group.series) {
      const values = [
        bucket.start,
        report.by,
        group.id ?? '',
        group.label,
        ...USAGE_COUNTERS.map((column) => String(bucket[column])),
      ];
      lines.push([...values.map(csvCell), String(bucket.estimated_cost)].join(','));
    }
  }
  return `${lines.join('\n')}\n`;
}

function csvCell(value: string): string {
  return /[",\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

async function usageCommand(flags: UsageFlags): Promise<void> {
  const report = await withCliStore(flags, async (store) => {
    const parameters = parseOrThrow(
      usageQuery,
      {
        by: flags.by,
        since: flags.since,
        bucket: flags.bucket,
        key: flags.key === undefined ? undefined : findClientKey(store.keys.list(), flags.key).id,
        account:
          flags.account === undefined ? undefined : findAccount(store.accounts.list(), flags.account).id,
        model: flags.model,
      },
      'usage query',
    );
    const now = systemClock.now();
    const query = usageStoreQuery(parameters, now);
    const rows = await new UsageStore(store.database.db).query(query);
    const label = usageLabeler({
      keyName: (id) => store.keys.get(id)?.name,
      accountEmail: (id) => store.accounts.get(id)?.email,
    });
    return buildUsageReport({ rows, query, now, prices: store.prices, label });
  });
  if (flags.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else if (flags.csv) process.stdout.write(formatUsageCsv(report));
  else process.stdout.write(formatUsageTable(report));
}

/** `switchyard usage --by key|account|model --since 7d [--json|--csv]`. */
export function registerUsageCommand(program: Command): void {
  program
    .command('usage')
    .description(
      'Tokens, requests and estimated cost per client key, account or model (from the stored hourly totals)',
    )
    .addOption(new Option('--by <what>', 'group by').choices(['key', 'account', 'model']).default('key'))
    .option('--since <when>', 'a span such as 24h, 7d or 4w, or an ISO date', '7d')
    .addOption(
      new Option(
        '--bucket <size>',
        'hour or day buckets (CSV rows); default: hour up to 2 days, day beyond',
      ).choices(['hour', 'day']),
    )
    .option('--key <key>', 'only this client key (id, id prefix or name)')
    .option('--account <account>', 'only this account (id, id prefix or email)')
    .option('--model <model>', 'only this model (as sent upstream)')
    .option('--data-dir <dir>', 'data directory (default: $SWITCHYARD_HOME or ~/.switchyard)')
    .addOption(new Option('--json', 'print the report as JSON (the /api/usage answer)').conflicts('csv'))
    .option('--csv', 'print one CSV line per group and bucket')
    .action((flags: UsageFlags) => usageCommand(flags));
}
