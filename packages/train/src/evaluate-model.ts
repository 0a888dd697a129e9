import type { ImageSet } from '@mnist/data';
import { NUM_CLASSES } from '@mnist/core';
import { argmaxRows, evaluatePredictions, type EvaluationReport } from '@mnist/metrics';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { checkImageSet } from './check-image-set.js';
import { predictProbabilities } from './predict-probabilities.js';
import { TrainingConfigError } from './training-config-error.js';

/** Options of `evaluateModel`. */
export interface EvaluateModelOptions {
  /** Images per inference batch; default 256. Only memory and speed depend on it. */
  batchSize?: number;
}

/** What `evaluateModel` found. */
export interface ModelEvaluation {
  /** Accuracy, log loss, confusion matrix and per-class metrics from `@mnist/metrics`. */
  report: EvaluationReport;
  /** Predicted digit of every image. */
  predictions: Uint8Array;
  /** Softmax output of every image, row-major `[count, 10]`. */
  probabilities: Float32Array;
}

/**
 * Runs `model` in inference mode over every image of `set` in batches and scores the output with
 * `evaluatePredictions` of `@mnist/metrics`. The images stay in their typed array; one batch of
 * tensors exists at a time and none survives the call.
 *
 * @throws {TrainingDataError} if `set` is empty or does not fit the model;
 *   {@link TrainingConfigError} if `batchSize` is not a positive integer.
 */
export async function evaluateModel(
  model: LayersModel,
  set: ImageSet,
  options: EvaluateModelOptions = {},
): Promise<ModelEvaluation> {
  const { batchSize = 256 } = options;
  if (!(Number.isInteger(batchSize) && batchSize > 0)) {
    throw new TrainingConfigError(
      `evaluateModel option "batchSize" must be a positive integer, got ${batchSize}`,
    );
  }
  checkImageSet('set', set, model, false);
  const probabilities = await predictProbabilities(model, set, batchSize);
  const report = evaluatePredictions(set.labels, probabilities, NUM_CLASSES);
  const predictions = argmaxRows(probabilities, NUM_CLASSES);
  return { report, predictions, probabilities };
}
