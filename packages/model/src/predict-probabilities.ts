import { NUM_CLASSES } from '@mnist/core';
import { type ImageSet, makeBatch } from '@mnist/data';
import { type Tensor, tidy } from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';

/**
 * Softmax outputs of `model` in inference mode (dropout off) for every image of `set`,
 * row-major `[count, 10]`, `batchSize` images at a time: one batch of tensors exists at a time and
 * the images stay in their typed array until their batch is made. Internal: the caller checked
 * `set` against the model.
 */
export async function predictProbabilities(
  model: LayersModel,
  set: ImageSet,
  batchSize: number,
): Promise<Float32Array> {
  const out = new Float32Array(set.count * NUM_CLASSES);
  for (let start = 0; start < set.count; start += batchSize) {
    const end = Math.min(start + batchSize, set.count);
    const probabilities = tidy(() => {
      const { xs } = makeBatch(set, { start, end }, 'index');
      return model.apply(xs, { training: false }) as Tensor;
    });
    try {
      out.set(await probabilities.data<'float32'>(), start * NUM_CLASSES);
    } finally {
      probabilities.dispose();
    }
  }
  return out;
}
