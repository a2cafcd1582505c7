import type { ConfigStore } from '../config/config-store.js';
import type { Logger } from '../observability/logger.js';
import type { SharedSchedulingSettings, StateStore } from '../state/state-store.js';

/**
 * Keeps the scheduling mode and maximum wait the same on every instance sharing `state`: a change
 * made through this instance's admin API or CLI is published, and one published by another
 * instance is written to this instance's config (so it also survives a restart). A change that
 * came from another instance is not published again. Returns the function that stops it.
 */
export function shareSchedulingSettings(options: {
  config: ConfigStore;
  state: StateStore;
  logger: Logger;
}): () => void {
  const { config, state, logger } = options;
  let received: string | null = null;
  const stopConfig = config.subscribe((event) => {
    if (event.source !== 'api' || !event.changed.includes('proxy.scheduling')) return;
    const settings = sharedPart(event.current.proxy.scheduling);
    // Only the one update applying a received change is its echo: a later local change back to the
    // same settings must still reach the others.
    const echo = JSON.stringify(settings) === received;
    received = null;
    if (echo) return;
    state.publishSettings(settings).catch((error: unknown) => {
      logger.warn({ err: error }, 'could not tell the other instances about the scheduling settings');
    });
  });
  const stopRemote = state.onRemoteChange((change) => {
    if (change.type !== 'settings') return;
    const settings = sharedPart(change.scheduling);
    if (JSON.stringify(sharedPart(config.get().proxy.scheduling)) === JSON.stringify(settings)) return;
    received = JSON.stringify(settings);
    config.update({ proxy: { scheduling: settings } }).catch((error: unknown) => {
      received = null;
      logger.warn({ err: error }, 'could not apply the scheduling settings another instance changed');
    });
  });
  return () => {
    stopConfig();
    stopRemote();
  };
}

function sharedPart(scheduling: SharedSchedulingSettings): SharedSchedulingSettings {
  return { mode: scheduling.mode, max_wait_seconds: scheduling.max_wait_seconds };
}
