/**
 * Clean-up work started by events (pool changes, changes from other instances) that nobody awaits:
 * tracked so that `settled()` can wait for it and its errors go to one handler instead of being
 * unhandled rejections.
 */
export class BackgroundTasks {
  private readonly pending = new Set<Promise<void>>();

  constructor(private readonly onError: (error: unknown) => void) {}

  /** Tracks `task`; its failure goes to the error handler. */
  add(task: Promise<unknown>): void {
    const tracked: Promise<void> = task
      .then(() => undefined, this.onError)
      .finally(() => this.pending.delete(tracked));
    this.pending.add(tracked);
  }

  /** Resolves once every task added so far (and any they added) has finished. */
  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.all(this.pending);
  }
}
