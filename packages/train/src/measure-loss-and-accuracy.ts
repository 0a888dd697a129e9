import { INFERENCE_BATCH_SIZE } from '@mnist/core';
import type { ImageSet } from '@mnist/data';
import { stack, sum } from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { countCorrect, sampleCrossEntropy } from './batch-statistics.js';
import { forEachPrediction } from './for-each-prediction.js';

/** Sums over a set in inference mode: cross-entropy and correct predictions. */
export interface LossAndAccuracySums {
  lossSum: number;
  correct: number;
}

/**
 * Runs `model` in inference mode over `set` and sums each image's cross-entropy and whether its
 * prediction is right; the train loop's validation and the gradient threads' share of it. Internal.
 */
export async function measureLossAndAccuracy(
  model: LayersModel,
  set: ImageSet,
): Promise<LossAndAccuracySums> {
  let lossSum = 0;
  let correct = 0;
  await forEachPrediction(
    model,
    set,
    INFERENCE_BATCH_SIZE,
    (probabilities, labels) =>
      stack([sum(sampleCrossEntropy(probabilities, labels)), countCorrect(probabilities, labels)]),
    async (_start, stats) => {
      const [batchLoss, batchCorrect] = await stats.data<'float32'>();
      lossSum += batchLoss!;
      correct += batchCorrect!;
    },
  );
  return { lossSum, correct };
}
