import type { ImageSet } from '@mnist/data';
import { NUM_CLASSES } from '@mnist/core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { forEachPrediction } from './for-each-prediction.js';

/** Softmax outputs of `model` for every image of `set`, row-major `[count, 10]`. Internal. */
export async function predictProbabilities(
  model: LayersModel,
  set: ImageSet,
  batchSize: number,
): Promise<Float32Array> {
  const out = new Float32Array(set.count * NUM_CLASSES);
  await forEachPrediction(
    model,
    set,
    batchSize,
    (probabilities) => probabilities,
    async (start, probabilities) => {
      out.set(await probabilities.data<'float32'>(), start * NUM_CLASSES);
    },
  );
  return out;
}
