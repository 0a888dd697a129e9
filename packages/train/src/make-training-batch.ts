import {
  type AugmentationConfig,
  augmentImageSet,
  type Batch,
  type ImageSet,
  makeBatch,
  subsetImageSet,
} from '@mnist/data';
import { deriveSeed } from './derive-seed.js';

// The 'augment' stream of deriveSeed ('aug' in ASCII): keeps augmentation's seeds apart from the
// shuffles' (seed, epoch) and the dropout masks' (seed, epoch, batch, layer), which take small numbers.
const AUGMENT_STREAM = 0x617567;

/** Where a slice of training images sits in its epoch, which seeds its augmentation. Internal. */
export interface BatchPlace {
  seed: number;
  epoch: number;
  /** Position of the slice's first image in the epoch's shuffled order. */
  position: number;
}

/**
 * The one-hot batch of training images at `indices` (a slice of the epoch's order starting at
 * `place.position`), augmented when `augmentation` is set: image k's transform is drawn from
 * `deriveSeed(seed, AUGMENT_STREAM, epoch, position + k)`, so it is the same however the batch is
 * cut between threads, and after a resume. With `null` it is exactly `makeBatch`'s. The caller
 * disposes the tensors. Internal.
 */
export function makeTrainingBatch(
  train: ImageSet,
  indices: Uint32Array,
  augmentation: AugmentationConfig | null,
  place: BatchPlace,
): Batch {
  if (augmentation === null) return makeBatch(train, indices, 'one-hot');
  const seeds = new Uint32Array(indices.length);
  for (let k = 0; k < seeds.length; k++) {
    seeds[k] = deriveSeed(place.seed, AUGMENT_STREAM, place.epoch, place.position + k);
  }
  const augmented = augmentImageSet(subsetImageSet(train, indices), augmentation, seeds);
  return makeBatch(augmented, { start: 0, end: augmented.count }, 'one-hot');
}
