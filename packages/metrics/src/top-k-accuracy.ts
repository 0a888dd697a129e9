import { NUM_CLASSES } from '@mnist/core';
import { MetricsInputError } from './metrics-input-error.js';
import { checkLabels, checkNotEmpty, checkNumClasses, checkProbabilities } from './validate-inputs.js';

/**
 * Fraction of samples whose true label is among the `k` highest-scored classes, as
 * scikit-learn's `top_k_accuracy_score` with `labels = [0, numClasses)`.
 *
 * Ties follow scikit-learn: classes are ranked by a stable ascending sort then reversed, so among
 * equal scores the higher class index ranks first. The true class `t` is a hit when fewer than `k`
 * classes score strictly more than it or score the same with an index above `t`. (Hence with
 * ties, `topKAccuracy(..., 1)` can differ from `accuracy(yTrue, argmaxRows(...))`, whose argmax
 * prefers the lower index; scikit-learn has the same asymmetry.) `k ≥ numClasses` gives 1.
 *
 * @param yTrue true labels in `[0, numClasses)`.
 * @param probabilities row-major `[yTrue.length, numClasses]` scores (probabilities or logits).
 * @param k how many top classes count as a hit, an integer ≥ 1.
 * @param numClasses columns per row; defaults to 10.
 * @returns a number in `[0, 1]`.
 * @throws {MetricsInputError} naming `yTrue`, `probabilities`, `k` or `numClasses`.
 */
export function topKAccuracy(
  yTrue: ArrayLike<number>,
  probabilities: ArrayLike<number>,
  k: number,
  numClasses: number = NUM_CLASSES,
): number {
  checkNumClasses(numClasses);
  if (!Number.isInteger(k) || k < 1) {
    throw new MetricsInputError('k', `k must be an integer ≥ 1, got ${k}`);
  }
  checkNotEmpty(yTrue);
  checkLabels('yTrue', yTrue, numClasses);
  checkProbabilities(probabilities, numClasses, yTrue.length);
  let hits = 0;
  for (let row = 0, offset = 0; row < yTrue.length; row++, offset += numClasses) {
    const label = yTrue[row]!;
    const score = probabilities[offset + label]!;
    let ahead = 0;
    for (let c = 0; c < numClasses; c++) {
      const value = probabilities[offset + c]!;
      if (value > score || (value === score && c > label)) ahead++;
    }
    if (ahead < k) hits++;
  }
  return hits / yTrue.length;
}
