import { checkLabels, checkNotEmpty, checkSameLength } from './validate-inputs.js';

/**
 * Fraction of samples whose predicted label equals the true label, as scikit-learn's
 * `accuracy_score`.
 *
 * @param yTrue true labels, non-negative integers.
 * @param yPred predicted labels, same length as `yTrue`.
 * @returns a number in `[0, 1]`.
 * @throws {MetricsInputError} if the lengths differ, `yTrue` is empty, or a label is not a
 *   non-negative integer.
 */
export function accuracy(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  checkSameLength('yPred', yPred, yTrue);
  checkNotEmpty(yTrue);
  checkLabels('yTrue', yTrue);
  checkLabels('yPred', yPred);
  let correct = 0;
  for (let i = 0; i < yTrue.length; i++) {
    if (yTrue[i] === yPred[i]) correct++;
  }
  return correct / yTrue.length;
}
