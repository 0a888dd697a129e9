import type { ImageSet, TrainValidationSplit } from './dataset-types.js';
import { DataArgumentError } from './data-argument-error.js';
import { shuffledIndices } from './shuffled-indices.js';
import { subsetImageSet } from './subset-image-set.js';

/**
 * Shuffles `set` with `seed`, then holds out the last `round(count * validationFraction)` images as
 * the validation set. `validationFraction` must be in [0, 1); 0 gives an empty validation set.
 * Both halves are new copies; the same seed gives the same split.
 */
export function splitTrainValidation(
  set: ImageSet,
  validationFraction: number,
  seed: number,
): TrainValidationSplit {
  if (!(validationFraction >= 0 && validationFraction < 1)) {
    throw new DataArgumentError(`validationFraction must be in [0, 1), got ${validationFraction}`);
  }
  const order = shuffledIndices(set.count, seed);
  const trainCount = set.count - Math.round(set.count * validationFraction);
  return {
    train: subsetImageSet(set, order.subarray(0, trainCount)),
    validation: subsetImageSet(set, order.subarray(trainCount)),
  };
}
