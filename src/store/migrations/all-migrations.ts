import type { Migration } from 'kysely';
import { initialMigration } from './0001-initial.js';
import { lockSourceMigration } from './0002-lock-source.js';
import { clientKeysMigration } from './0003-client-keys.js';
import { modelsTriedMigration } from './0004-models-tried.js';

/**
 * Every migration, keyed by a name that sorts in the order they must run. A static list rather
 * than a folder scan, so it works the same from src/ under vitest and from the compiled dist/.
 * Add new migrations at the end; never rename or edit one that has shipped.
 */
export const allMigrations: Readonly<Record<string, Migration>> = {
  '0001-initial': initialMigration,
  '0002-lock-source': lockSourceMigration,
  '0003-client-keys': clientKeysMigration,
  '0004-models-tried': modelsTriedMigration,
};
