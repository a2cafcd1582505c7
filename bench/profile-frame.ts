/** A V8 profile's call frame (CPU and sampling heap profiles name functions alike). */
export interface ProfileCallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

/** `name file:line`, with paths shortened to what follows `dist/` or `node_modules/`. */
export function frameKey({ functionName, url, lineNumber }: ProfileCallFrame): string {
  return `${functionName || '(anonymous)'} ${shortPath(url)}:${lineNumber + 1}`;
}

/** A script URL from `dist/` or `node_modules/` on, without Node's `node:` scheme. */
export function shortPath(url: string): string {
  return url.replace(/^.*\/(dist|node_modules)\//, '$1/').replace(/^node:/, '');
}
