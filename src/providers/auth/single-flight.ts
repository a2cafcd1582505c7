/**
 * At most one running task per key: callers that arrive while it runs share its result instead of
 * starting their own. The entry is dropped when the task settles, so a failure is retried by the
 * next caller rather than remembered.
 */
export class SingleFlight<Value> {
  private readonly running = new Map<string, Promise<Value>>();

  /** The running task for `key`, or `task()` started now. */
  run(key: string, task: () => Promise<Value>): Promise<Value> {
    const existing = this.running.get(key);
    if (existing) return existing;
    const started = (async () => task())().finally(() => {
      if (this.running.get(key) === started) this.running.delete(key);
    });
    this.running.set(key, started);
    return started;
  }

  /** Whether a task for `key` is running. */
  has(key: string): boolean {
    return this.running.has(key);
  }

  /** Resolves once every task running now has settled (failures included). */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.running.values()]);
  }
}
