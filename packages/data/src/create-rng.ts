import { DataArgumentError } from './data-argument-error.js';

/**
 * The project's one seeded PRNG (mulberry32): returns a function yielding floats in [0, 1), the
 * same sequence for the same seed on every platform. Seeds are taken modulo 2^32 after dropping
 * any fraction. Every package that needs seeded randomness should use this.
 */
// Written here rather than borrowing tfjs's seedrandom: that is CommonJS, not our dependency,
// and mulberry32 is six well-known lines, fast, with a 2^32 period that is plenty for shuffling.
export function createRng(seed: number): () => number {
  if (!Number.isFinite(seed)) {
    throw new DataArgumentError(`seed must be a finite number, got ${seed}`);
  }
  let state = Math.trunc(seed) >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
