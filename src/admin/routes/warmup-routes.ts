import type { FastifyInstance } from 'fastify';
import type { ConfigStore } from '../../config/config-store.js';
import type { WarmupTarget } from '../../warmup/plan-warmups.js';
import type { ScheduledWarmup } from '../../warmup/scheduled-warmup.js';
import type { WarmupStatus, WarmupTargetView } from '../warmup-contracts.js';
import { adminRoute } from './admin-route.js';

export interface WarmupRouteDependencies {
  config: Pick<ConfigStore, 'get'>;
  /** Absent: the schedule is reported with no targets. */
  scheduledWarmup: Pick<ScheduledWarmup, 'status'> | undefined;
}

function isoOrNull(time: number | null | undefined): string | null {
  return time === null || time === undefined ? null : new Date(time).toISOString();
}

function targetView(target: WarmupTarget): WarmupTargetView {
  return {
    account_id: target.accountId,
    email: target.email,
    model: target.model,
    state: target.state,
    reason: target.reason,
    next_due_at: isoOrNull(target.nextDueAt),
    last_at: isoOrNull(target.last?.at),
    last_result: target.last?.result ?? null,
    last_error: target.last?.error ?? null,
  };
}

/** The scheduled warmup as the Monitor shows it: per account and model, the last warmup and the next. */
export function registerWarmupRoutes(app: FastifyInstance, deps: WarmupRouteDependencies): void {
  app.get('/api/proxy/warmup', adminRoute, async (): Promise<WarmupStatus> => {
    const { enabled, interval_minutes } = deps.config.get().proxy.warmup.schedule;
    const targets = (await deps.scheduledWarmup?.status()) ?? [];
    return { enabled, interval_minutes, targets: targets.map(targetView) };
  });
}
