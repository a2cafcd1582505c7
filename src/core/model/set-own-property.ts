/**
 * Sets `key` as an own property, even when the key is `__proto__`: JSON bodies can carry such a key
 * as plain data (JSON.parse makes it an own property), and a plain assignment would instead
 * replace the target's prototype and lose the value.
 */
export function setOwnProperty<T extends object>(target: T, key: string, value: T[keyof T]): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}
