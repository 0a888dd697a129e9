import type { ImageSet } from './dataset-types.js';
import { shuffledIndices } from './shuffled-indices.js';
import { subsetImageSet } from './subset-image-set.js';

/**
 * A shuffled copy of `set` (images and labels moved together), deterministic for a given seed.
 * The input is left untouched.
 */
export function shuffleImageSet(set: ImageSet, seed: number): ImageSet {
  return subsetImageSet(set, shuffledIndices(set.count, seed));
}
