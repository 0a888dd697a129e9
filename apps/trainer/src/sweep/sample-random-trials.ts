import { createRng } from '@mnist/data';
import { gridPoint, gridSize } from './expand-grid.js';
import type { SearchSpace, TrialParams } from './sweep-types.js';

/**
 * Random search: `trials` distinct points of the space's grid drawn with the project's seeded PRNG,
 * so the same space, count and seed give the same trials in the same order (which is what lets a
 * rerun find its finished trials). Asking for at least as many trials as the grid has points gives
 * the whole grid in a shuffled order.
 */
export function sampleRandomTrials(space: SearchSpace, trials: number, seed: number): TrialParams[] {
  const size = gridSize(space);
  const rng = createRng(seed);
  const count = Math.min(trials, size);
  const picked: number[] = [];
  if (count * 2 > size) {
    // Most of the grid is wanted: a Fisher-Yates shuffle of all indices, then the first `count`.
    const all = Array.from({ length: size }, (_, i) => i);
    for (let i = size - 1; i > 0; i--) {
      const j = Math.floor(rng() * (i + 1));
      [all[i], all[j]] = [all[j]!, all[i]!];
    }
    picked.push(...all.slice(0, count));
  } else {
    // A few points of a possibly huge grid: draw indices, skipping repeats (at most half are taken,
    // so each draw is new with probability >= 1/2).
    const seen = new Set<number>();
    while (picked.length < count) {
      const index = Math.floor(rng() * size);
      if (!seen.has(index)) {
        seen.add(index);
        picked.push(index);
      }
    }
  }
  return picked.map((index) => gridPoint(space, index));
}
