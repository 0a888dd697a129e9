import { NUM_CLASSES } from '@mnist/core';
import type { AveragedMetrics, ClassMetrics } from './evaluation-types.js';
import { countPairs } from './confusion-matrix.js';
import { checkLabels, checkNotEmpty, checkNumClasses, checkSameLength } from './validate-inputs.js';

/** What {@link classificationMetrics} returns: the numbers of scikit-learn's `classification_report`. */
export interface ClassificationMetricsResult {
  /** One entry per class `0 … numClasses-1`, in label order, including classes absent from the data. */
  perClass: ClassMetrics[];
  /** Unweighted mean over all classes; `support` is the number of samples. */
  macroAvg: AveragedMetrics;
  /** Mean weighted by each class's support; `support` is the number of samples. */
  weightedAvg: AveragedMetrics;
  /** Fraction of correct predictions. */
  accuracy: number;
}

/**
 * Per-class precision, recall, F1 and support, with their macro and weighted averages and the
 * accuracy: the numbers of scikit-learn's `classification_report(yTrue, yPred,
 * labels=range(numClasses))` with its default `zero_division="warn"`.
 *
 * For class `c` with `tp` true positives, `fp` false positives and `fn` false negatives:
 * precision = tp / (tp + fp), recall = tp / (tp + fn), F1 = 2·tp / (2·tp + fp + fn) (the harmonic
 * mean of the two), support = tp + fn. A ratio whose denominator is 0 is reported as **0**, which is
 * what scikit-learn's default `zero_division="warn"` returns (it also prints a warning; we do not):
 * a class never predicted has precision 0, a class absent from `yTrue` has recall 0, and a class
 * with no true positives has F1 0. Every class `0 … numClasses-1` is listed and enters the macro
 * average, even one absent from both inputs (it counts as 0 there, as in scikit-learn when
 * `labels` is given). The weighted average weighs each class by its support.
 *
 * @param yTrue true labels in `[0, numClasses)`; at least one.
 * @param yPred predicted labels in `[0, numClasses)`, same length as `yTrue`.
 * @param numClasses number of classes; defaults to 10.
 * @throws {MetricsInputError} naming `yTrue`, `yPred` or `numClasses`.
 */
export function classificationMetrics(
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
  numClasses: number = NUM_CLASSES,
): ClassificationMetricsResult {
  checkNumClasses(numClasses);
  checkSameLength('yPred', yPred, yTrue);
  checkNotEmpty(yTrue);
  checkLabels('yTrue', yTrue, numClasses);
  checkLabels('yPred', yPred, numClasses);
  return metricsFromConfusion(countPairs(yTrue, yPred, numClasses));
}

/** Derives {@link ClassificationMetricsResult} from a non-empty confusion matrix (rows = true labels). */
export function metricsFromConfusion(matrix: readonly (readonly number[])[]): ClassificationMetricsResult {
  const numClasses = matrix.length;
  const predicted = new Float64Array(numClasses);
  for (const row of matrix) {
    for (let p = 0; p < numClasses; p++) predicted[p]! += row[p]!;
  }
  const perClass: ClassMetrics[] = [];
  let total = 0;
  let correct = 0;
  for (let c = 0; c < numClasses; c++) {
    const row = matrix[c]!;
    const tp = row[c]!;
    const support = row.reduce((sum, count) => sum + count, 0);
    const fp = predicted[c]! - tp;
    const fn = support - tp;
    perClass.push({
      label: c,
      precision: ratioOrZero(tp, tp + fp),
      recall: ratioOrZero(tp, support),
      f1: ratioOrZero(2 * tp, 2 * tp + fp + fn),
      support,
    });
    total += support;
    correct += tp;
  }
  return {
    perClass,
    macroAvg: average(perClass, () => 1, total),
    weightedAvg: average(perClass, (m) => m.support, total),
    accuracy: correct / total,
  };
}

// scikit-learn's zero_division="warn" (its default) and zero_division=0 both yield 0.
function ratioOrZero(numerator: number, denominator: number): number {
  return denominator === 0 ? 0 : numerator / denominator;
}

function average(
  perClass: ClassMetrics[],
  weight: (m: ClassMetrics) => number,
  support: number,
): AveragedMetrics {
  let weights = 0;
  let precision = 0;
  let recall = 0;
  let f1 = 0;
  for (const m of perClass) {
    const w = weight(m);
    weights += w;
    precision += w * m.precision;
    recall += w * m.recall;
    f1 += w * m.f1;
  }
  // Weights sum to 0 only for an all-empty matrix, which the public functions reject.
  if (weights === 0) return { precision: 0, recall: 0, f1: 0, support };
  return { precision: precision / weights, recall: recall / weights, f1: f1 / weights, support };
}
