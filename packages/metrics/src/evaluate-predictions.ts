import { NUM_CLASSES } from '@mnist/core';
import type { EvaluationReport } from './evaluation-types.js';
import { argmaxInto } from './argmax-rows.js';
import { metricsFromConfusion } from './classification-metrics.js';
import { countPairs } from './confusion-matrix.js';
import { meanLogLoss } from './log-loss.js';
import { checkLabels, checkNotEmpty, checkNumClasses, checkProbabilities } from './validate-inputs.js';

/**
 * Everything about a classifier's output on a labelled set in one pass: predictions are the argmax
 * of each row (ties to the lowest class, see {@link argmaxRows}), then accuracy, log loss (see
 * {@link logLoss} for the clipping), confusion matrix, per-class precision/recall/F1/support and
 * their macro and weighted averages (see {@link classificationMetrics} for the zero-division rule:
 * 0, as scikit-learn's default). Feed the result to {@link formatClassificationReport} for a
 * printable table.
 *
 * @param yTrue true labels in `[0, numClasses)`; at least one.
 * @param probabilities row-major `[yTrue.length, numClasses]` class probabilities (softmax output).
 * @param numClasses number of classes, ≥ 2; defaults to 10.
 * @throws {MetricsInputError} naming `yTrue`, `probabilities` or `numClasses`.
 */
export function evaluatePredictions(
  yTrue: ArrayLike<number>,
  probabilities: ArrayLike<number>,
  numClasses: number = NUM_CLASSES,
): EvaluationReport {
  checkNumClasses(numClasses, 2);
  checkNotEmpty(yTrue);
  checkLabels('yTrue', yTrue, numClasses);
  checkProbabilities(probabilities, numClasses, yTrue.length);
  const yPred = new Int32Array(yTrue.length);
  argmaxInto(probabilities, numClasses, yPred);
  const matrix = countPairs(yTrue, yPred, numClasses);
  const { perClass, macroAvg, weightedAvg, accuracy } = metricsFromConfusion(matrix);
  return {
    count: yTrue.length,
    accuracy,
    loss: meanLogLoss(yTrue, probabilities, numClasses),
    confusionMatrix: matrix,
    perClass,
    macroAvg,
    weightedAvg,
  };
}
