import { NUM_CLASSES } from '@mnist/core';
import type { ImageSet } from '@mnist/data';
import { argmaxRows, type EvaluationReport, evaluatePredictions } from '@mnist/metrics';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { EvaluationInputError } from './evaluation-input-error.js';
import { predictProbabilities } from './predict-probabilities.js';

/** Options of {@link evaluateModel}. */
export interface EvaluateModelOptions {
  /** Images per inference batch; default 256. Only memory and speed depend on it. */
  batchSize?: number;
  /**
   * How many misclassified images to list in `misclassified.examples`, most confident mistakes
   * first; default 0 (the count is always given).
   */
  misclassified?: number;
}

/** One image the model got wrong. */
export interface MisclassifiedExample {
  /** Index of the image in the evaluated set. */
  index: number;
  /** Its true label. */
  label: number;
  /** The digit the model predicted. */
  predicted: number;
  /** Probability the model gave to its (wrong) prediction. */
  confidence: number;
  /** Probability the model gave to the true label. */
  trueProbability: number;
}

/** What {@link evaluateModel} found. */
export interface ModelEvaluation {
  /**
   * Accuracy, loss (`logLoss` of `@mnist/metrics`, the loss training uses), confusion matrix,
   * per-class metrics and their averages, from `evaluatePredictions` of `@mnist/metrics`.
   */
  report: EvaluationReport;
  /** Predicted digit of every image (the argmax of its row; ties to the lowest digit). */
  predictions: Uint8Array;
  /** Softmax output of every image, row-major `[count, 10]`. */
  probabilities: Float32Array;
  /**
   * How many images are misclassified, and the `options.misclassified` most confident of them
   * (highest probability on the wrong digit first, then by index).
   */
  misclassified: { count: number; examples: MisclassifiedExample[] };
}

// Larger than training batches (no gradients to keep), yet small enough that the default model's
// first conv activations stay around 25 MB.
const DEFAULT_BATCH_SIZE = 256;

/**
 * Scores `model` on a labelled image set: the one set evaluation of mnist-ts (the trainer's test
 * score, the demo's build scripts). Runs the model in inference mode (dropout off) over every image
 * of `set`, `batchSize` at a time, scores the softmax outputs with `evaluatePredictions` of
 * `@mnist/metrics`, and lists the most confident mistakes if asked. The images stay in their typed
 * array (pixels as the model was trained on: `normalizeImages` of `@mnist/data` turns a
 * `RawImageSet` into one); one batch of tensors exists at a time and none survives the call.
 *
 * @returns the report, every image's prediction and probabilities, and the misclassified images.
 * @throws {EvaluationInputError} if an option is not a whole number in range, `set` is empty or
 *   inconsistent, or its image size or the model's class count does not fit.
 */
export async function evaluateModel(
  model: LayersModel,
  set: ImageSet,
  options: EvaluateModelOptions = {},
): Promise<ModelEvaluation> {
  const { batchSize = DEFAULT_BATCH_SIZE, misclassified = 0 } = options;
  if (!(Number.isInteger(batchSize) && batchSize > 0)) {
    throw new EvaluationInputError(
      'options.batchSize',
      `evaluateModel option "batchSize" must be a positive integer, got ${batchSize}`,
    );
  }
  if (!(Number.isInteger(misclassified) && misclassified >= 0)) {
    throw new EvaluationInputError(
      'options.misclassified',
      `evaluateModel option "misclassified" must be a non-negative integer, got ${misclassified}`,
    );
  }
  checkFits(model, set);
  const probabilities = await predictProbabilities(model, set, batchSize);
  const report = evaluatePredictions(set.labels, probabilities, NUM_CLASSES);
  const predictions = argmaxRows(probabilities, NUM_CLASSES);
  return {
    report,
    predictions,
    probabilities,
    misclassified: findMisclassified(set.labels, predictions, probabilities, misclassified),
  };
}

// A mismatch fails here with a message in the set's terms instead of as a shape error deep in tfjs.
function checkFits(model: LayersModel, set: ImageSet): void {
  const { count, rows, cols } = set;
  if (!(Number.isInteger(count) && count >= 0)) {
    throw new EvaluationInputError('set', `set.count must be a non-negative integer, got ${count}`);
  }
  if (count === 0) throw new EvaluationInputError('set', 'set has no images; at least one is needed');
  if (set.labels.length !== count) {
    throw new EvaluationInputError('set', `set.labels has ${set.labels.length} labels for ${count} images`);
  }
  if (set.images.length !== count * rows * cols) {
    throw new EvaluationInputError(
      'set',
      `set.images has ${set.images.length} pixels, expected count * rows * cols = ${count * rows * cols}`,
    );
  }
  const inputShape = model.inputs[0]?.shape;
  if (inputShape && (inputShape[1] !== rows || inputShape[2] !== cols)) {
    throw new EvaluationInputError(
      'set',
      `set holds ${rows}x${cols} images but the model takes ${inputShape[1]}x${inputShape[2]}`,
    );
  }
  const outputShape = model.outputs.length === 1 ? model.outputs[0]!.shape : null;
  if (outputShape === null || outputShape.length !== 2 || outputShape[1] !== NUM_CLASSES) {
    throw new EvaluationInputError(
      'model',
      `evaluateModel needs a model with one output of ${NUM_CLASSES} probabilities per image; this model ` +
        `returns ${outputShape === null ? `${model.outputs.length} outputs` : `shape [${outputShape.join(',')}]`}`,
    );
  }
}

// Most confident mistakes first: the most telling ones (label noise or a real blind spot).
function findMisclassified(
  labels: Uint8Array,
  predictions: Uint8Array,
  probabilities: Float32Array,
  limit: number,
): ModelEvaluation['misclassified'] {
  const wrong: MisclassifiedExample[] = [];
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i]!;
    const predicted = predictions[i]!;
    if (label === predicted) continue;
    wrong.push({
      index: i,
      label,
      predicted,
      confidence: probabilities[i * NUM_CLASSES + predicted]!,
      trueProbability: probabilities[i * NUM_CLASSES + label]!,
    });
  }
  wrong.sort((a, b) => b.confidence - a.confidence || a.index - b.index);
  return { count: wrong.length, examples: wrong.slice(0, limit) };
}
