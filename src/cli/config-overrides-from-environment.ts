import {
  type EnvironmentOverrides,
  pinnedSettings,
  readEnvironmentOverrides,
} from '../config/environment-overrides.js';
import type { Logger } from '../observability/logger.js';
import { OTHER_TOOLS_VARIABLES, PROCESS_VARIABLES } from './process-variables.js';

/**
 * The settings `environment` (`process.env`) gives, for the commands that open the config. Throws
 * an Error listing every bad variable, one per line, so the command stops before it starts
 * anything. Logs the settings taken (names only, never values) and the `SWITCHYARD_*` names that
 * are no setting.
 */
export function configOverridesFromEnvironment(
  environment: Readonly<Record<string, string | undefined>>,
  logger?: Logger,
): EnvironmentOverrides {
  const reading = readEnvironmentOverrides(environment);
  if (!reading.ok) {
    const lines = reading.problems.map((problem) => `  ${problem}`);
    throw new Error(['Invalid environment variables:', ...lines].join('\n'));
  }
  const known = new Set([...PROCESS_VARIABLES.map((variable) => variable.name), ...OTHER_TOOLS_VARIABLES]);
  const unknown = reading.ignored.filter((name) => !known.has(name));
  if (unknown.length > 0) {
    logger?.warn({ variables: unknown }, 'ignoring SWITCHYARD_* variables that are no setting');
  }
  if (reading.overrides.length > 0) {
    logger?.info(
      { settings: pinnedSettings(reading.overrides) },
      'settings from environment variables (they win over gui_config.json)',
    );
  }
  return reading.overrides;
}
