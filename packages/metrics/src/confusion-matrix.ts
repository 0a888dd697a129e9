import { NUM_CLASSES } from '@mnist/core';
import { checkLabels, checkNumClasses, checkSameLength } from './validate-inputs.js';

/**
 * Counts of (true label, predicted label) pairs: `matrix[t][p]` is how many samples of class `t`
 * were predicted as `p`. Rows are true labels, columns predicted labels, as scikit-learn's
 * `confusion_matrix` with `labels = [0, numClasses)`; row sums are the class supports, the diagonal
 * the correct predictions. Empty inputs give a matrix of zeros.
 *
 * @param yTrue true labels in `[0, numClasses)`.
 * @param yPred predicted labels in `[0, numClasses)`, same length as `yTrue`.
 * @param numClasses matrix side; defaults to 10.
 * @returns a fresh `numClasses × numClasses` array of counts.
 * @throws {MetricsInputError} naming `yTrue`, `yPred` or `numClasses`.
 */
export function confusionMatrix(
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
  numClasses: number = NUM_CLASSES,
): number[][] {
  checkNumClasses(numClasses);
  checkSameLength('yPred', yPred, yTrue);
  checkLabels('yTrue', yTrue, numClasses);
  checkLabels('yPred', yPred, numClasses);
  return countPairs(yTrue, yPred, numClasses);
}

/** The counting behind {@link confusionMatrix}, for callers that validated already. */
export function countPairs(
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
  numClasses: number,
): number[][] {
  // Count in one flat typed array (cheap increments), then split into the plain rows callers get.
  const counts = new Float64Array(numClasses * numClasses);
  for (let i = 0; i < yTrue.length; i++) counts[yTrue[i]! * numClasses + yPred[i]!]!++;
  return Array.from({ length: numClasses }, (_, t) =>
    Array.from(counts.subarray(t * numClasses, (t + 1) * numClasses)),
  );
}
