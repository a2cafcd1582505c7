/**
 * The pause before the next try of something that keeps failing: `minMs` after the first failure,
 * doubling after each further one up to `maxMs`, back to `minMs` once it succeeds (`reset`).
 */
export class RetryDelay {
  private nextMs: number;

  constructor(
    private readonly minMs: number,
    private readonly maxMs: number,
  ) {
    this.nextMs = minMs;
  }

  /** The pause after this failure; the one after the next failure doubles, up to `maxMs`. */
  afterFailure(): number {
    const pause = this.nextMs;
    this.nextMs = Math.min(this.nextMs * 2, this.maxMs);
    return pause;
  }

  /** A success (or a reason to try at once): the next failure waits `minMs` again. */
  reset(): void {
    this.nextMs = this.minMs;
  }
}
