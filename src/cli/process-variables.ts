/**
 * The environment variables the CLI reads besides the settings of `gui_config.json` (those are
 * `SWITCHYARD_<PATH>`, derived from the config schema). Listed once here for the README table and
 * for the check that deployment files use only variables that exist.
 */
export const PROCESS_VARIABLES: ReadonlyArray<{ name: string; meaning: string }> = [
  {
    name: 'SWITCHYARD_HOME',
    meaning: 'the data directory (default `~/.switchyard`); `--data-dir` wins over it',
  },
  {
    name: 'SWITCHYARD_SECRET_KEY',
    meaning:
      'the key that encrypts credentials at rest: 64 hex characters or base64 of 32 bytes (default: `secret.key` in the data directory); instances sharing a store need the same key',
  },
  {
    name: 'SWITCHYARD_DATABASE_URL',
    meaning:
      "the PostgreSQL store's URL (`postgres://user:password@host:5432/database`), winning over `store.postgres_url`; used when `store.backend` is `postgres`",
  },
  {
    name: 'SWITCHYARD_REDIS_URL',
    meaning:
      'the Redis URL of the shared scheduling state (`redis://:password@host:6379`), winning over `state.redis_url`; used when `state.backend` is `redis`',
  },
];

/**
 * `SWITCHYARD_*` names other tools read, which the gateway leaves alone without a warning: the
 * UI dev server's gateway address, and the variable the Codex setup snippet puts the key in.
 */
export const OTHER_TOOLS_VARIABLES: readonly string[] = ['SWITCHYARD_URL', 'SWITCHYARD_API_KEY'];
