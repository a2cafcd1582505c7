import { type FSWatcher, watch } from 'node:fs';
import { mkdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import type { Clock } from '../core/clock.js';
import { SwitchyardError } from '../core/errors.js';
import { sha256Hex } from '../core/ids.js';
import { isJsonObject, type JsonObject } from '../core/json.js';
import { removeLeftoverTemporaryFiles, writeFileAtomic } from './atomic-write.js';
import { changedSections } from './changed-sections.js';
import { ConfigFileError, describeInvalidFile } from './config-file-error.js';
import { deepFreeze } from './deep-freeze.js';
import { overlayEnvironment, patchWithoutPinned, shadowedSettings } from './environment-overlay.js';
import { type EnvironmentOverrides, pinnedSettings } from './environment-overrides.js';
import { mergeConfigPatch } from './merge-config-patch.js';
import { defaultConfigDocument, parseConfigText, validateConfigDocument } from './parse-config-text.js';
import { readExisting } from './read-config-file.js';
import type { ConfigIssue, SwitchyardConfig } from './schema.js';

/** A pino-compatible logger: `logger.warn({ path }, 'message')` or `logger.warn('message')`. */
export interface ConfigLogger {
  info(details: object | string, message?: string): void;
  warn(details: object | string, message?: string): void;
  error(details: object | string, message?: string): void;
}

export interface ConfigStoreOptions {
  /** Path of `gui_config.json`; created with defaults (and its directory) when missing. */
  path: string;
  /** Drives the watcher's stat poll and debounce. */
  clock: Clock;
  /** Where reloads, problems and generated keys are reported. Default: nothing is logged. */
  logger?: ConfigLogger;
  /** Creates `proxy.api_key` when the file has none (`newApiKey` from core/ids in production). */
  generateApiKey: () => string;
  /** Stat-poll interval of the watcher in ms, the fallback when fs.watch misses a change. Default 1000. */
  pollIntervalMs?: number;
  /** Quiet time in ms after a burst of file-system events before the file is read. Default 100. */
  debounceMs?: number;
  /**
   * Rules beyond the schema that a config must meet to be used (the runtime's exposure rule: no
   * unauthenticated LAN access without `--allow-unauthenticated`). A config with issues is refused
   * like a schema-invalid one: at open, on update and on a hand edit. Default: none.
   */
  validate?: (config: SwitchyardConfig) => ConfigIssue[];
  /**
   * Settings given by environment variables (`readEnvironmentOverrides`): laid over the file on
   * every load, never written to it; `update()` refuses to change them. Default: none.
   */
  overrides?: EnvironmentOverrides;
}

/** Who changed the config: a hand edit of the file, or `update()` (admin API, CLI). */
export type ConfigChangeSource = 'file' | 'api';

/** Sent to subscribers after a change has been applied; `get()` already returns `current`. */
export interface ConfigChangeEvent {
  previous: SwitchyardConfig;
  current: SwitchyardConfig;
  source: ConfigChangeSource;
  /** Dotted paths of changed sections, at most two levels deep: `proxy.scheduling`, `proxy.port`, `refresh_interval`. */
  changed: string[];
}

/** What is wrong with the file on disk while the last good config stays in use. */
export interface ConfigProblem {
  /** Human-readable, naming the file and every problem path. */
  message: string;
  /** When it was detected (clock ms). */
  at: number;
}

type ProblemKind = 'invalid' | 'missing' | 'unreadable';

const silentLogger: ConfigLogger = { info() {}, warn() {}, error() {} };

/**
 * Owns `gui_config.json`: loads and validates it, applies admin updates with atomic writes, and,
 * once `startWatching()` is called, picks up hand edits within a second. Readers call `get()` on
 * every request (a frozen object, no I/O) and `subscribe()` to react to changes. An invalid edit
 * never replaces the running config and is never overwritten: it is reported by `problem()` until
 * the file is fixed. All reads and writes of the file run one at a time.
 */
export class ConfigStore {
  private readonly filePath: string;
  private readonly clock: Clock;
  private readonly logger: ConfigLogger;
  private readonly generateApiKey: () => string;
  private readonly pollIntervalMs: number;
  private readonly debounceMs: number;
  private readonly validate: (config: SwitchyardConfig) => ConfigIssue[];
  private readonly overrides: EnvironmentOverrides;
  private readonly listeners = new Set<(event: ConfigChangeEvent) => void>();
  private current: SwitchyardConfig;
  /** The file's JSON as the user wrote it (no defaults filled in), the base of every update. */
  private userDocument: JsonObject;
  private currentProblem: (ConfigProblem & { kind: ProblemKind }) | null = null;
  /** Hash of the content last read or written, so our own writes and repeated events are ignored. */
  private lastSeenHash: string | null = null;
  /** mtime, size and inode at the last read; the poll reads the file only when this changes. */
  private lastSignature: string | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private stopWatchers: Array<() => void> = [];
  private cancelDebounce: (() => void) | null = null;
  private watching = false;

  private constructor(options: ConfigStoreOptions, config: SwitchyardConfig, document: JsonObject) {
    this.filePath = options.path;
    this.clock = options.clock;
    this.logger = options.logger ?? silentLogger;
    this.generateApiKey = options.generateApiKey;
    this.pollIntervalMs = options.pollIntervalMs ?? 1000;
    this.debounceMs = options.debounceMs ?? 100;
    this.validate = options.validate ?? (() => []);
    this.overrides = options.overrides ?? [];
    this.current = deepFreeze(config);
    this.userDocument = document;
  }

  /**
   * Loads the config file, creating it with defaults and a generated API key when missing, and
   * adding a key (keeping everything else) when the file has none. Temporary files that a write
   * killed halfway left beside it are removed first. Throws `ConfigFileError` naming the file and
   * each problem when it is unreadable, not JSON or invalid.
   */
  static async open(options: ConfigStoreOptions): Promise<ConfigStore> {
    const path = options.path;
    const leftovers = await removeLeftoverTemporaryFiles(path).catch(() => 0);
    if (leftovers > 0)
      options.logger?.info(
        { path, removed: leftovers },
        'removed temporary files of an interrupted config write',
      );
    const text = await readExisting(path);
    if (text === null) {
      const created = defaultConfigDocument(options);
      if (!created.ok) throw ConfigFileError.invalid(path, created.issues);
      const store = new ConfigStore(options, created.config, created.document);
      await mkdir(dirname(path), { recursive: true, mode: 0o700 }).catch((error: unknown) => {
        throw ConfigFileError.io({ filePath: path, action: 'create', error });
      });
      // The file holds the API key (and maybe the admin password): owner-only.
      await store.persist(store.userDocument, { mode: 0o600 });
      store.logger.info({ path }, 'created config file with defaults and a new proxy API key');
      return store;
    }
    const parsed = parseConfigText(text, options);
    if (!parsed.ok) throw ConfigFileError.invalid(path, parsed.issues);
    const refused = options.validate?.(parsed.config) ?? [];
    if (refused.length > 0) throw ConfigFileError.invalid(path, refused);
    const store = new ConfigStore(options, parsed.config, parsed.document);
    store.reportShadowed(parsed.document);
    if (parsed.apiKeyAdded) {
      await store.persist(parsed.document);
      store.logger.info({ path }, 'config file had no proxy API key; generated and saved one');
    } else {
      await store.remember(text);
    }
    return store;
  }

  /** Path of the config file. */
  get path(): string {
    return this.filePath;
  }

  /** The current good config, deep-frozen. Cheap: meant for every request. */
  get(): Readonly<SwitchyardConfig> {
    return this.current;
  }

  /**
   * A copy of the file's JSON as the user wrote it (no defaults filled in): the base to build an
   * `update()` patch from when a section must keep its hand-written form (the `oauth` commands).
   */
  document(): JsonObject {
    return structuredClone(this.userDocument);
  }

  /** What is wrong with the file on disk (shown as `config_error` in the status API), or null. */
  problem(): ConfigProblem | null {
    return this.currentProblem && { message: this.currentProblem.message, at: this.currentProblem.at };
  }

  /** The settings environment variables give (`{variable, path}`), which `update()` cannot change. */
  pinned(): Array<{ variable: string; path: string }> {
    return pinnedSettings(this.overrides);
  }

  /** Registers a listener for applied changes; returns the function that removes it. */
  subscribe(listener: (event: ConfigChangeEvent) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /**
   * Deep-merges `patch` (a deep partial of the config; arrays and `proxy.custom_mapping` replace
   * as a whole, objects merge, unknown keys are kept) into the file's document, validates it,
   * writes it atomically, applies it and notifies subscribers. A pending hand edit is read first
   * so it is not lost. Throws `validation_failed` (details.issues = [{path, message}]) without
   * writing anything when the result is invalid, `conflict` while the file on disk is invalid
   * (the user's edit is never overwritten) or when the patch changes a setting an environment
   * variable gives (`details.pinned` = [{path, variable}]), and `config_error` when the write fails.
   * Settings the environment gives are never written to the file.
   */
  update(patch: unknown, source: 'api' = 'api'): Promise<SwitchyardConfig> {
    return this.enqueue(async () => {
      const normalized = normalizePatch(patch);
      await this.checkDisk({ force: true });
      if (this.currentProblem?.kind === 'invalid') {
        throw new SwitchyardError(
          'conflict',
          `${this.currentProblem.message}\nFix the file first; it is not overwritten while invalid.`,
        );
      }
      const { userDocument: base, overrides, current } = this;
      const allowed = patchWithoutPinned({ document: base, patch: normalized, overrides, current });
      const document = mergeConfigPatch(base, allowed);
      const validation = validateConfigDocument(overlayEnvironment(document, overrides));
      const issues = validation.ok ? this.validate(validation.config) : validation.issues;
      if (!validation.ok || issues.length > 0) {
        const text = issues.map((issue) => `${issue.path}: ${issue.message}`).join('\n');
        throw new SwitchyardError('validation_failed', text, { details: { issues } });
      }
      await this.persist(document);
      this.userDocument = document;
      this.clearProblem();
      this.apply(validation.config, source);
      return this.current;
    });
  }

  /** Reads the file now, as the watcher would, and applies it or reports its problem. */
  reload(): Promise<void> {
    return this.enqueue(() => this.checkDisk({ force: true }));
  }

  /**
   * Starts picking up hand edits: fs.watch on the directory (editors replace the file rather than
   * write it in place) with a debounce, plus a stat poll as a fallback. Idempotent.
   */
  startWatching(): void {
    if (this.watching) return;
    this.watching = true;
    this.stopWatchers.push(
      this.clock.every(this.pollIntervalMs, () => this.checkInBackground({ force: false })),
    );
    const watcher = this.watchDirectory();
    if (watcher) this.stopWatchers.push(() => watcher.close());
  }

  /** Stops watching. The store stays usable for `get()` and `update()`. */
  close(): void {
    this.watching = false;
    for (const stop of this.stopWatchers.splice(0)) stop();
    this.cancelDebounce?.();
    this.cancelDebounce = null;
  }

  private watchDirectory(): FSWatcher | null {
    const name = basename(this.filePath);
    try {
      const watcher = watch(dirname(this.filePath), { persistent: false }, (_event, filename) => {
        if (filename === null || String(filename) === name) this.scheduleCheck();
      });
      watcher.on('error', (error) => {
        this.logger.warn(
          { path: this.filePath, error: String(error) },
          'config watcher failed; polling only',
        );
        watcher.close();
      });
      return watcher;
    } catch (error) {
      this.logger.warn(
        { path: this.filePath, error: String(error) },
        'cannot watch config directory; polling only',
      );
      return null;
    }
  }

  private scheduleCheck(): void {
    if (!this.watching) return;
    this.cancelDebounce?.();
    this.cancelDebounce = this.clock.after(this.debounceMs, () => {
      this.cancelDebounce = null;
      this.checkInBackground({ force: true });
    });
  }

  private checkInBackground(options: { force: boolean }): void {
    if (!this.watching) return;
    this.enqueue(() => this.checkDisk(options)).catch((error: unknown) => {
      this.logger.error({ path: this.filePath, error: String(error) }, 'config reload failed');
    });
  }

  /** Reads the file if it may have changed and applies it; never throws for a bad file. */
  private async checkDisk(options: { force: boolean }): Promise<void> {
    let text: string;
    try {
      const signature = signatureOf(await stat(this.filePath));
      if (!options.force && signature === this.lastSignature) return;
      text = await readFile(this.filePath, 'utf8');
      this.lastSignature = signature;
    } catch (error) {
      this.reportUnreadable(error);
      return;
    }
    const hash = sha256Hex(text);
    if (hash === this.lastSeenHash) return;
    this.lastSeenHash = hash;
    await this.applyText(text);
  }

  private async applyText(text: string): Promise<void> {
    const parsed = parseConfigText(text, { generateApiKey: this.generateApiKey, overrides: this.overrides });
    const issues = parsed.ok ? this.validate(parsed.config) : parsed.issues;
    if (!parsed.ok || issues.length > 0) {
      const message = describeInvalidFile(this.filePath, issues);
      this.setProblem({ kind: 'invalid', message });
      this.logger.warn(
        { path: this.filePath, issues },
        'config file is invalid; the last good configuration stays in use',
      );
      return;
    }
    if (parsed.apiKeyAdded) {
      await this.persist(parsed.document).catch((error: unknown) => {
        this.logger.error({ path: this.filePath, error: String(error) }, 'cannot save the generated API key');
      });
      this.logger.info({ path: this.filePath }, 'config file had no proxy API key; generated and saved one');
    }
    this.userDocument = parsed.document;
    this.clearProblem();
    this.reportShadowed(parsed.document);
    this.apply(parsed.config, 'file');
  }

  /** Warns when the file sets what an environment variable overrides: that edit has no effect. */
  private reportShadowed(document: JsonObject): void {
    const shadowed = pinnedSettings(shadowedSettings(document, this.overrides));
    if (shadowed.length > 0)
      this.logger.warn({ path: this.filePath, shadowed }, 'environment variables override the file');
  }

  private apply(config: SwitchyardConfig, source: ConfigChangeSource): void {
    const previous = this.current;
    const changed = changedSections(previous, config);
    if (changed.length === 0) return;
    const current = deepFreeze(config);
    this.current = current;
    if (source === 'file') this.logger.info({ path: this.filePath, changed }, 'config file reloaded');
    for (const listener of [...this.listeners]) {
      try {
        listener({ previous, current, source, changed });
      } catch (error) {
        this.logger.error({ error: String(error), changed }, 'config change listener failed');
      }
    }
  }

  /** Writes `document` atomically and remembers it as seen, so the watcher ignores our own write. */
  private async persist(document: JsonObject, options: { mode?: number } = {}): Promise<void> {
    const text = `${JSON.stringify(document, null, 2)}\n`;
    try {
      await writeFileAtomic(this.filePath, text, options);
    } catch (error) {
      throw ConfigFileError.io({ filePath: this.filePath, action: 'write', error });
    }
    await this.remember(text);
  }

  private async remember(text: string): Promise<void> {
    this.lastSeenHash = sha256Hex(text);
    // Without a signature the next poll reads the file once and finds the hash unchanged.
    this.lastSignature = await stat(this.filePath).then(signatureOf, () => null);
  }

  private reportUnreadable(error: unknown): void {
    // Forget the last content so the same content reappearing is applied and clears the problem.
    this.lastSeenHash = null;
    this.lastSignature = null;
    const missing = errorCode(error) === 'ENOENT';
    const message = missing
      ? `Config file ${this.filePath} is missing; the last good configuration stays in use`
      : `Cannot read config file ${this.filePath}: ${error instanceof Error ? error.message : String(error)}`;
    if (this.currentProblem?.message === message) return;
    this.setProblem({ kind: missing ? 'missing' : 'unreadable', message });
    this.logger.warn({ path: this.filePath }, message);
  }

  private setProblem(problem: { kind: ProblemKind; message: string }): void {
    this.currentProblem = { ...problem, at: this.clock.now() };
  }

  private clearProblem(): void {
    if (!this.currentProblem) return;
    this.currentProblem = null;
    this.logger.info({ path: this.filePath }, 'config file problem resolved');
  }

  private enqueue<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

/** The file's text, or null when it does not exist; any other failure is a `ConfigFileError`. */
// Round-tripping through JSON drops undefined values and guarantees the document stays plain JSON.
function normalizePatch(patch: unknown): JsonObject {
  let normalized: unknown;
  try {
    normalized = JSON.parse(JSON.stringify(patch ?? null));
  } catch {
    normalized = undefined;
  }
  if (!isJsonObject(normalized)) {
    const issues = [{ path: '(root)', message: 'expected a JSON object' }];
    throw new SwitchyardError('validation_failed', '(root): expected a JSON object', { details: { issues } });
  }
  return normalized;
}

function signatureOf(stats: { mtimeMs: number; size: number; ino: number }): string {
  return `${stats.mtimeMs}:${stats.size}:${stats.ino}`;
}

function errorCode(error: unknown): string | undefined {
  return error instanceof Error && 'code' in error ? String(error.code) : undefined;
}
