import { type ImageSet, makeBatch } from '@mnist/data';
import { type Tensor, tidy } from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';

/**
 * Runs `model` in inference mode (dropout off) over `set`, `batchSize` images at a time, and calls
 * `onBatch` with each batch's start index and the tensor `perBatch` made from the batch's softmax
 * output and one-hot labels (disposed after `onBatch` resolves). Only one batch's tensors exist
 * at a time and the images stay in the typed array until their batch is made. Internal.
 */
export async function forEachPrediction<T extends Tensor>(
  model: LayersModel,
  set: ImageSet,
  batchSize: number,
  perBatch: (probabilities: Tensor, labels: Tensor) => T,
  onBatch: (start: number, result: T) => Promise<void>,
): Promise<void> {
  for (let start = 0; start < set.count; start += batchSize) {
    const end = Math.min(start + batchSize, set.count);
    const result = tidy(() => {
      const { xs, ys } = makeBatch(set, { start, end }, 'one-hot');
      const probabilities = model.apply(xs, { training: false }) as Tensor;
      return perBatch(probabilities, ys);
    });
    try {
      await onBatch(start, result);
    } finally {
      result.dispose();
    }
  }
}
