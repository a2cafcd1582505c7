import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

const shas = new Map<string, string>();

/** The SHA-1 Redis knows a script by (`EVALSHA`, `MONITOR`), computed once per script. */
export function scriptSha(script: string): string {
  let sha = shas.get(script);
  if (sha === undefined) {
    sha = createHash('sha1').update(script).digest('hex');
    shas.set(script, sha);
  }
  return sha;
}

/**
 * Runs a Lua script by its SHA-1 (`EVALSHA`), so the script's text crosses the wire and is hashed
 * by Redis once per server rather than on every call; a server that does not have it yet (first
 * call, restart, `SCRIPT FLUSH`) is sent the text (`EVAL`), which also caches it there.
 */
export async function runScript(
  client: Redis,
  script: string,
  keyCount: number,
  ...args: Array<string | number>
): Promise<unknown> {
  try {
    return await client.evalsha(scriptSha(script), keyCount, ...args);
  } catch (error) {
    if (!(error instanceof Error && error.message.startsWith('NOSCRIPT'))) throw error;
    return client.eval(script, keyCount, ...args);
  }
}
