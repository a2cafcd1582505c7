import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

const shas = new Map<string, string>();

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
  let sha = shas.get(script);
  if (sha === undefined) {
    sha = createHash('sha1').update(script).digest('hex');
    shas.set(script, sha);
  }
  try {
    return await client.evalsha(sha, keyCount, ...args);
  } catch (error) {
    if (!(error instanceof Error && error.message.startsWith('NOSCRIPT'))) throw error;
    return client.eval(script, keyCount, ...args);
  }
}
