import type { ImageSet } from '@mnist/data';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { TrainingDataError } from './training-data-error.js';

/**
 * Checks that `set` (named `name` in messages) is consistent and has the image size `model`
 * takes, so a mismatch fails with a clear message instead of a shape error deep inside tfjs.
 * Internal.
 */
export function checkImageSet(name: string, set: ImageSet, model: LayersModel, allowEmpty: boolean): void {
  const { count, rows, cols } = set;
  if (!(Number.isInteger(count) && count >= 0)) {
    throw new TrainingDataError(`${name}.count must be a non-negative integer, got ${count}`);
  }
  if (count === 0 && !allowEmpty)
    throw new TrainingDataError(`${name} has no images; at least one is needed`);
  if (set.labels.length !== count) {
    throw new TrainingDataError(`${name}.labels has ${set.labels.length} labels for ${count} images`);
  }
  if (set.images.length !== count * rows * cols) {
    throw new TrainingDataError(
      `${name}.images has ${set.images.length} pixels, expected count * rows * cols = ${count * rows * cols}`,
    );
  }
  const inputShape = model.inputs[0]?.shape;
  if (inputShape && (inputShape[1] !== rows || inputShape[2] !== cols)) {
    throw new TrainingDataError(
      `${name} holds ${rows}x${cols} images but the model takes ${inputShape[1]}x${inputShape[2]}`,
    );
  }
}
