import { isDeepStrictEqual } from 'node:util';
import { SwitchyardError } from '../core/errors.js';
import { isJsonObject, type JsonObject } from '../core/json.js';
import { dottedPath } from './config-variables.js';
import type { EnvironmentOverrides, EnvironmentSetting } from './environment-overrides.js';
import { mergeConfigPatch } from './merge-config-patch.js';
import { configSchema, type SwitchyardConfig } from './schema.js';

/**
 * How settings given by the environment meet the file and the admin API. The environment wins:
 * its values are laid over the file's document on every load (start, hot reload, update), so they
 * are in force whatever the file says; they are never put into the document, so the gateway never
 * writes them (secrets included) to `gui_config.json`. A change through the admin API to a setting
 * the environment gives is refused (`conflict`) — sending the value in force is accepted and not
 * written.
 */

/** `document` with each setting's value at its path (the whole value replaced); `document` is not changed. */
export function overlayEnvironment(document: JsonObject, overrides: EnvironmentOverrides): JsonObject {
  if (overrides.length === 0) return document;
  const result = structuredClone(document);
  for (const setting of overrides) {
    const parent = sectionOf(result, setting.path);
    const last = setting.path.at(-1);
    if (parent && last !== undefined) parent[last] = structuredClone(setting.value);
  }
  return result;
}

/** The object that holds `path`'s last key, created where missing; null when the file has a non-object there. */
function sectionOf(root: JsonObject, path: readonly string[]): JsonObject | null {
  let parent = root;
  for (const key of path.slice(0, -1)) {
    if (parent[key] === undefined) parent[key] = {};
    const child = parent[key];
    // A non-object where a section belongs is the file's error: left for validation to report.
    if (!isJsonObject(child)) return null;
    parent = child;
  }
  return parent;
}

/**
 * The admin patch to merge into the file's document: the paths the environment gives are taken
 * out. Throws `conflict` (409) naming each variable when the patch would change a setting the
 * environment gives; sending the value in force (a form saved unchanged) is no change.
 */
export function patchWithoutPinned(options: {
  /** The file's document. */
  document: JsonObject;
  patch: JsonObject;
  overrides: EnvironmentOverrides;
  /** The config in force. */
  current: Readonly<SwitchyardConfig>;
}): JsonObject {
  const { document, patch, overrides, current } = options;
  if (overrides.length === 0) return patch;
  const merged = configSchema.safeParse(mergeConfigPatch(overlayEnvironment(document, overrides), patch));
  const changed = overrides.filter((setting) => {
    const now = valueAt(current, setting.path);
    // An invalid result cannot be compared as parsed: compare what was sent instead.
    if (merged.success) return !isDeepStrictEqual(valueAt(merged.data, setting.path), now);
    const sent = valueAt(patch, setting.path);
    return sent !== undefined && !isDeepStrictEqual(sent, now) && !isDeepStrictEqual(sent, setting.value);
  });
  if (changed.length > 0) throw pinnedConflict(changed);
  return withoutPinned(patch, overrides);
}

/** A copy of `document` without the paths the environment gives (what may be written to the file). */
export function withoutPinned(document: JsonObject, overrides: EnvironmentOverrides): JsonObject {
  const result = structuredClone(document);
  for (const setting of overrides) removeAt(result, setting.path);
  return result;
}

/** The settings the environment gives that `document` (the file) also sets to another value. */
export function shadowedSettings(
  document: JsonObject,
  overrides: EnvironmentOverrides,
): EnvironmentSetting[] {
  return overrides.filter((setting) => {
    const inFile = valueAt(document, setting.path);
    return inFile !== undefined && !isDeepStrictEqual(inFile, setting.value);
  });
}

function pinnedConflict(changed: readonly EnvironmentSetting[]): SwitchyardError {
  const lines = changed.map(
    (setting) =>
      `${dottedPath(setting.path)} is set by the environment variable ${setting.variable}: ` +
      'change the variable and restart the gateway to change it',
  );
  return new SwitchyardError('conflict', lines.join('\n'), {
    details: {
      pinned: changed.map((setting) => ({ path: dottedPath(setting.path), variable: setting.variable })),
    },
  });
}

function valueAt(root: unknown, path: readonly string[]): unknown {
  let value = root;
  for (const key of path) {
    if (!isJsonObject(value) || !Object.hasOwn(value, key)) return undefined;
    value = value[key];
  }
  return value;
}

function removeAt(root: JsonObject, path: readonly string[]): void {
  const parent = valueAt(root, path.slice(0, -1));
  const last = path.at(-1);
  if (isJsonObject(parent) && last !== undefined) delete parent[last];
}
