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
  return wholeBatch(augmentedImages(train, indices, augmentation, place));
}

/**
 * Makes a thread's training batches, `makeTrainingBatch`'s to the bit, and can augment a later
 * slice's images ahead of time. Augmenting is most of a slice's making (about 1.5 ms for 64 images)
 * and it needs no tensors, so a thread of a thread pool does it for its next slice while it would
 * otherwise wait (for the other threads, or for the next request), taking it off the step's
 * critical path. Internal.
 */
export interface TrainingBatchMaker {
  /** The batch of `indices` at `place`: from the images `prepare` made when they are these, else made now. */
  make(indices: Uint32Array, place: BatchPlace): Batch;
  /**
   * Augments the images of the slice `indices` at `place` now, for the next `make`; a `make` of
   * another slice drops them. Does nothing without augmentation, where making a batch is a copy.
   */
  prepare(indices: Uint32Array, place: BatchPlace): void;
}

/** The batch maker of one thread for the training set `train`. Internal. */
export function createTrainingBatchMaker(
  train: ImageSet,
  augmentation: AugmentationConfig | null,
): TrainingBatchMaker {
  let prepared: { indices: Uint32Array; place: BatchPlace; images: ImageSet } | null = null;
  return {
    make(indices, place) {
      if (augmentation === null) return makeBatch(train, indices, 'one-hot');
      const ready = prepared;
      prepared = null;
      const images =
        ready !== null && samePlace(ready.place, place) && sameIndices(ready.indices, indices)
          ? ready.images
          : augmentedImages(train, indices, augmentation, place);
      return wholeBatch(images);
    },
    prepare(indices, place) {
      if (augmentation === null) return;
      // Copies: the caller's order and place may change before the slice is made.
      prepared = {
        indices: indices.slice(),
        place: { seed: place.seed, epoch: place.epoch, position: place.position },
        images: augmentedImages(train, indices, augmentation, place),
      };
    },
  };
}

function augmentedImages(
  train: ImageSet,
  indices: Uint32Array,
  augmentation: AugmentationConfig,
  place: BatchPlace,
): ImageSet {
  const seeds = new Uint32Array(indices.length);
  for (let k = 0; k < seeds.length; k++) {
    seeds[k] = deriveSeed(place.seed, AUGMENT_STREAM, place.epoch, place.position + k);
  }
  return augmentImageSet(subsetImageSet(train, indices), augmentation, seeds);
}

function wholeBatch(images: ImageSet): Batch {
  return makeBatch(images, { start: 0, end: images.count }, 'one-hot');
}

function samePlace(a: BatchPlace, b: BatchPlace): boolean {
  return a.seed === b.seed && a.epoch === b.epoch && a.position === b.position;
}

function sameIndices(a: Uint32Array, b: Uint32Array): boolean {
  if (a.length !== b.length) return false;
  for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return false;
  return true;
}
