import { isJsonObject } from '../core/json.js';

/**
 * Dotted paths of what differs between two configs, at most two levels deep: a top-level value
 * (`refresh_interval`), or a key of a top-level object (`proxy.port`, `proxy.scheduling`). Deeper
 * changes are reported by their depth-2 section. Empty when the configs are equal.
 */
export function changedSections(previous: object, current: object): string[] {
  const changed: string[] = [];
  for (const key of unionOfKeys(previous, current)) {
    const before = valueAt(previous, key);
    const after = valueAt(current, key);
    if (isJsonObject(before) && isJsonObject(after)) {
      for (const subKey of unionOfKeys(before, after)) {
        if (!isDeepEqual(before[subKey], after[subKey])) changed.push(`${key}.${subKey}`);
      }
    } else if (!isDeepEqual(before, after)) {
      changed.push(key);
    }
  }
  return changed;
}

/** Structural equality of JSON-like values (plain objects, arrays, primitives). */
export function isDeepEqual(left: unknown, right: unknown): boolean {
  if (Object.is(left, right)) return true;
  if (Array.isArray(left) || Array.isArray(right)) {
    if (!Array.isArray(left) || !Array.isArray(right) || left.length !== right.length) return false;
    return left.every((item, index) => isDeepEqual(item, right[index]));
  }
  if (!isJsonObject(left) || !isJsonObject(right)) return false;
  const keys = Object.keys(left);
  if (keys.length !== Object.keys(right).length) return false;
  return keys.every((key) => Object.hasOwn(right, key) && isDeepEqual(left[key], right[key]));
}

function unionOfKeys(left: object, right: object): string[] {
  return [...new Set([...Object.keys(left), ...Object.keys(right)])];
}

function valueAt(object: object, key: string): unknown {
  return (object as Record<string, unknown>)[key];
}
