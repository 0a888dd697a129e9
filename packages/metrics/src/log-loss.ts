import { NUM_CLASSES } from '@mnist/core';
import { checkLabels, checkNotEmpty, checkNumClasses, checkProbabilities } from './validate-inputs.js';

/** Machine epsilon of float64, `2^-52`: the clipping bound for probabilities in any array but a `Float32Array`. */
export const FLOAT64_EPS = 2 ** -52;
/** Machine epsilon of float32, `2^-23` (≈ 1.19e-7): the clipping bound for probabilities in a `Float32Array`. */
export const FLOAT32_EPS = 2 ** -23;

/**
 * Mean categorical cross-entropy of the true classes, `-mean(log p[i, yTrue[i]])` with natural
 * log, as scikit-learn's `log_loss` with `labels = [0, numClasses)`.
 *
 * Probabilities are first clipped to `[eps, 1 - eps]` so a confident wrong answer (p = 0) gives a
 * large finite loss instead of `Infinity`. As in scikit-learn, `eps` is the machine epsilon of the
 * input's element type, `np.finfo(y_pred.dtype).eps`: {@link FLOAT32_EPS} (`2^-23`, so at most
 * ≈ 15.94 per sample) for a `Float32Array` such as tfjs's `dataSync()` output, and
 * {@link FLOAT64_EPS} (`2^-52`, at most ≈ 36.04 per sample) for anything else. Rows are not
 * renormalised after clipping, as in scikit-learn ≥ 1.5 (earlier versions divided each clipped row
 * by its sum, which moves the result by a few ulps for rows that already sum to 1). Pass softmax
 * outputs, not logits. The sum uses compensated (Neumaier) summation, so the mean stays accurate
 * over large sets.
 *
 * @param yTrue true labels in `[0, numClasses)`; at least one.
 * @param probabilities row-major `[yTrue.length, numClasses]` class probabilities, all finite.
 * @param numClasses columns per row, ≥ 2; defaults to 10.
 * @returns the mean loss in nats, ≥ 0.
 * @throws {MetricsInputError} naming `yTrue`, `probabilities` or `numClasses`.
 */
export function logLoss(
  yTrue: ArrayLike<number>,
  probabilities: ArrayLike<number>,
  numClasses: number = NUM_CLASSES,
): number {
  // scikit-learn refuses fewer than 2 labels: with one class there is nothing to predict.
  checkNumClasses(numClasses, 2);
  checkNotEmpty(yTrue);
  checkLabels('yTrue', yTrue, numClasses);
  checkProbabilities(probabilities, numClasses, yTrue.length);
  return meanLogLoss(yTrue, probabilities, numClasses);
}

/** The computation behind {@link logLoss}, for callers that validated already. */
export function meanLogLoss(
  yTrue: ArrayLike<number>,
  probabilities: ArrayLike<number>,
  numClasses: number,
): number {
  const eps = probabilities instanceof Float32Array ? FLOAT32_EPS : FLOAT64_EPS;
  let sum = 0;
  let compensation = 0;
  for (let row = 0; row < yTrue.length; row++) {
    const p = probabilities[row * numClasses + yTrue[row]!]!;
    const term = -Math.log(Math.min(Math.max(p, eps), 1 - eps));
    const next = sum + term;
    compensation += Math.abs(sum) >= Math.abs(term) ? sum - next + term : term - next + sum;
    sum = next;
  }
  return (sum + compensation) / yTrue.length;
}
