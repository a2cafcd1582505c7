/**
 * The writers of the crash-safety test and the record of what was acknowledged: accounts added and
 * patched through the admin API, accounts added with the `switchyard accounts add` command, and
 * config changes through `PUT /api/config`. Each writer runs one write at a time until told to stop
 * (or until the gateway is gone), and records a write as acknowledged only after a 2xx (or exit 0);
 * a write in flight when the gateway dies may or may not have landed, so both outcomes stay allowed.
 */
import { request } from 'undici';
import { runCli } from '../foundation/run-cli.js';

/** What must be found after a restart. */
export class AcknowledgedWrites {
  /** Email → labels it may carry now (one when the last patch was acknowledged, two while one was in flight). */
  readonly apiAccounts = new Map<string, Set<string | null>>();
  /** Emails the CLI added (exit 0). */
  readonly cliAccounts = new Set<string>();
  /** Generations of the config: the last acknowledged and the last sent. */
  configAcknowledged = 0;
  configSent = 0;
  /** Counts, for the report. */
  writes = { api: 0, cli: 0, config: 0 };
}

/** The config document of generation `generation`: a mapping of that many rules and a matching timeout. */
export function configOfGeneration(generation: number): {
  proxy: { custom_mapping: Record<string, string>; request_timeout: number };
} {
  const mapping: Record<string, string> = {};
  for (let rule = 1; rule <= generation; rule++) mapping[`crash-${rule}`] = `model-${rule}`;
  return { proxy: { custom_mapping: mapping, request_timeout: 100 + generation } };
}

export interface WriterContext {
  url: string;
  apiKey: string;
  /** A prefix unique to this gateway's life, for emails. */
  label: string;
  record: AcknowledgedWrites;
  stopped: () => boolean;
}

async function send(context: WriterContext, method: string, path: string, body: unknown) {
  try {
    const response = await request(`${context.url}${path}`, {
      method: method as 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${context.apiKey}` },
      body: JSON.stringify(body),
    });
    const text = await response.body.text();
    return { status: response.statusCode, json: JSON.parse(text) as { id?: string } };
  } catch {
    return null;
  }
}

/** Adds accounts through the admin API, and patches each one's label twice. */
export async function apiAccountWriter(context: WriterContext, writer: number): Promise<void> {
  const { record } = context;
  for (let index = 0; !context.stopped(); index++) {
    const email = `api-${context.label}-${writer}-${index}@crash.test`;
    const created = await send(context, 'POST', '/api/accounts', {
      provider: 'openai',
      email,
      api_key: `sk-crash-${context.label}-${writer}-${index}`,
    });
    if (created?.status !== 201 || !created.json.id) return;
    record.apiAccounts.set(email, new Set([null]));
    record.writes.api++;
    for (const label of ['first', 'second']) {
      if (context.stopped()) return;
      const labels = record.apiAccounts.get(email)!;
      labels.add(label);
      const patched = await send(context, 'PATCH', `/api/accounts/${created.json.id}`, { label });
      if (patched?.status !== 200) return;
      record.apiAccounts.set(email, new Set([label]));
      record.writes.api++;
    }
  }
}

/** Replaces the config's mapping and timeout with the next generation, one change at a time. */
export async function configWriter(context: WriterContext): Promise<void> {
  const { record } = context;
  while (!context.stopped()) {
    const generation = ++record.configSent;
    const changed = await send(context, 'PUT', '/api/config', configOfGeneration(generation));
    if (changed?.status !== 200) return;
    record.configAcknowledged = generation;
    record.writes.config++;
  }
}

/** Adds accounts with `switchyard accounts add`, writing the database beside the gateway (running or not). */
export async function cliWriter(
  context: Pick<WriterContext, 'label' | 'record' | 'stopped'> & { dataDir: string },
): Promise<void> {
  for (let index = 0; !context.stopped(); index++) {
    const email = `cli-${context.label}-${index}@crash.test`;
    const result = await runCli(
      [
        'accounts',
        'add',
        '--data-dir',
        context.dataDir,
        '--provider',
        'anthropic',
        '--email',
        email,
        '--api-key',
        `sk-ant-crash-${context.label}-${index}`,
      ],
      { timeoutMs: 20_000 },
    );
    if (result.code !== 0) throw new Error(`switchyard accounts add failed: ${result.stderr}`);
    context.record.cliAccounts.add(email);
    context.record.writes.cli++;
  }
}
