import { createRng } from './create-rng.js';
import { DataArgumentError } from './data-argument-error.js';

/**
 * A seeded random permutation of `0 .. count-1` (Fisher-Yates with `createRng(seed)`): the same
 * seed always gives the same order.
 */
export function shuffledIndices(count: number, seed: number): Uint32Array {
  if (!Number.isInteger(count) || count < 0) {
    throw new DataArgumentError(`count must be a non-negative integer, got ${count}`);
  }
  const rng = createRng(seed);
  const order = new Uint32Array(count);
  for (let i = 0; i < count; i++) order[i] = i;
  for (let i = count - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
  }
  return order;
}
