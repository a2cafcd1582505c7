import { constants } from 'node:fs';
import { access, mkdir } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** `--data-dir`, else `SWITCHYARD_HOME`, else `~/.switchyard`. */
export function resolveDataDir(flag: string | undefined, environment: NodeJS.ProcessEnv): string {
  if (flag) return resolve(flag);
  if (environment['SWITCHYARD_HOME']) return resolve(environment['SWITCHYARD_HOME']);
  return join(homedir(), '.switchyard');
}

/** Creates the data directory (mode 0700) when missing and checks it is readable and writable. */
export async function ensureDataDir(dataDir: string): Promise<void> {
  try {
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
    await access(dataDir, constants.R_OK | constants.W_OK | constants.X_OK);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new Error(
      `Data directory ${dataDir} is not usable (${reason}): it must be a readable and writable directory`,
    );
  }
}

export interface DataPaths {
  dataDir: string;
  configPath: string;
  databasePath: string;
}

export function dataPaths(dataDir: string): DataPaths {
  return {
    dataDir,
    configPath: join(dataDir, 'gui_config.json'),
    databasePath: join(dataDir, 'switchyard.db'),
  };
}
