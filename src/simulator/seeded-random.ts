/**
 * A small seeded pseudo-random generator (mulberry32): the same seed gives the same sequence on
 * every run and platform, so a simulated failure pattern can be replayed. Not for secrets.
 */

/** A source of numbers in [0, 1). */
export type RandomSource = () => number;

/** A generator of numbers in [0, 1) fully determined by `seed` (any integer; only its low 32 bits count). */
export function seededRandom(seed: number): RandomSource {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = state;
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4_294_967_296;
  };
}
