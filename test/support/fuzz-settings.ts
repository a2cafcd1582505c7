/**
 * Seed and run count of the fuzz suites. `npm test` runs a fixed seed with few runs per property;
 * `npm run fuzz -- --runs N --seed S` (scripts/fuzz.mjs) runs the same properties longer, through
 * the environment variables read here:
 *
 * - `SWITCHYARD_FUZZ_SEED`: the base seed (an integer); every property derives its own seed from it
 *   and its name, so one number replays a whole run.
 * - `SWITCHYARD_FUZZ_RUNS`: random cases per property, instead of each property's default.
 */
import type fc from 'fast-check';

/** The seed `npm test` uses unless `SWITCHYARD_FUZZ_SEED` says otherwise. */
export const DEFAULT_FUZZ_SEED = 20_260_417;

export interface FuzzSettings {
  seed: number;
  /** Runs asked for on the command line, or null for each property's default. */
  runs: number | null;
}

function integerFrom(name: string, text: string | undefined): number | null {
  if (text === undefined || text.trim() === '') return null;
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new Error(`${name} must be an integer, got "${text}"`);
  return value;
}

/** The settings of this run, from the environment. */
export function fuzzSettings(environment: NodeJS.ProcessEnv = process.env): FuzzSettings {
  const runs = integerFrom('SWITCHYARD_FUZZ_RUNS', environment['SWITCHYARD_FUZZ_RUNS']);
  if (runs !== null && runs < 1) throw new Error('SWITCHYARD_FUZZ_RUNS must be at least 1');
  return {
    seed: integerFrom('SWITCHYARD_FUZZ_SEED', environment['SWITCHYARD_FUZZ_SEED']) ?? DEFAULT_FUZZ_SEED,
    runs,
  };
}

/** A seed per property: the base seed mixed with a hash of the property's name (FNV-1a). */
export function propertySeed(seed: number, name: string): number {
  let hash = 0x811c9dc5;
  for (const character of name) {
    hash ^= character.codePointAt(0) ?? 0;
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash ^ seed) | 0;
}

/** One line saying how to replay this run, printed once per suite. */
export function describeFuzzRun(settings: FuzzSettings, suite: string): string {
  const runs = settings.runs === null ? 'default runs per property' : `${settings.runs} runs per property`;
  const replay = `npm run fuzz -- --seed ${settings.seed}${settings.runs === null ? '' : ` --runs ${settings.runs}`}`;
  return `${suite}: fuzz seed ${settings.seed}, ${runs} (replay: ${replay})`;
}

/**
 * fast-check parameters for one property: its derived seed, the run count (the command line's, or
 * `defaultRuns`), and the deterministic `examples` that always run first.
 */
export function propertyParameters<T>(options: {
  settings: FuzzSettings;
  name: string;
  defaultRuns: number;
  examples?: T[];
}): fc.Parameters<[T]> {
  const { settings, name, defaultRuns, examples = [] } = options;
  return {
    seed: propertySeed(settings.seed, name),
    numRuns: settings.runs ?? defaultRuns,
    examples: examples.map((example) => [example]),
  };
}
