/**
 * Gemini function calls and responses usually carry no id; the canonical model needs one to pair
 * each result with its call. This tracker gives every call an id that only depends on its place in
 * the conversation (so each turn of a conversation sends the same ids upstream, keeping prompt
 * caches warm) and pairs each function response with the oldest unanswered call of the same name.
 */
export class GeminiToolCallIds {
  private callCount = 0;
  private readonly pending = new Map<string, string[]>();
  private readonly known = new Set<string>();

  /** The id of the next function call: its own `id` when the client sent one, else a synthesized one. */
  call(name: string, clientId: string | null | undefined): string {
    const index = this.callCount++;
    const id = clientId || synthesizeToolCallId(name, index);
    this.known.add(id);
    const queue = this.pending.get(name) ?? [];
    queue.push(id);
    this.pending.set(name, queue);
    return id;
  }

  /**
   * The call id a function response answers: its own `id` when it names a known call, else the
   * oldest unanswered call of that name; `undefined` when no call matches.
   */
  result(name: string, clientId: string | null | undefined): string | undefined {
    const queue = this.pending.get(name) ?? [];
    if (clientId && this.known.has(clientId)) {
      const position = queue.indexOf(clientId);
      if (position >= 0) queue.splice(position, 1);
      return clientId;
    }
    return queue.shift();
  }
}

/**
 * `call_<index>_<name>`: short, deterministic, and made only of the characters every upstream
 * accepts in a tool-call id (`[A-Za-z0-9_-]`, at most 40 characters for OpenAI).
 */
export function synthesizeToolCallId(name: string, index: number): string {
  const safeName = name.replace(/[^A-Za-z0-9_-]/g, '_');
  return `call_${index}_${safeName}`.slice(0, 40);
}
