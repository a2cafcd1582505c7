/**
 * A small seeded pseudo-random generator (mulberry32): 32 bits of state, fast, and the same
 * sequence for the same seed on every machine, so a simulation run is reproducible.
 */
export class Prng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A uniform number in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let value = this.state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4_294_967_296;
  }

  /** A uniform integer in [0, bound). */
  int(bound: number): number {
    return Math.floor(this.next() * bound);
  }

  /** True with probability `probability`. */
  chance(probability: number): boolean {
    return this.next() < probability;
  }

  /** An exponentially distributed number with the given mean (inter-arrival and think times). */
  exponential(mean: number): number {
    return -mean * Math.log(1 - this.next());
  }

  /** An independent generator derived from this seed and `stream` (one per purpose). */
  static derive(seed: number, stream: number): Prng {
    return new Prng(Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(stream + 1, 0xc2b2ae35));
  }
}
