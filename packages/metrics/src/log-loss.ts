import { NUM_CLASSES } from '@mnist/core';
import { checkLabels, checkNotEmpty, checkNumClasses, checkProbabilities } from './validate-inputs.js';

/**
 * The clip bound ε of mnist-ts's one cross-entropy loss, `1e-7` (Keras's epsilon). Every loss
 * figure in the project is `-mean(ln clip(p[i, y[i]], ε, 1 − ε))` with this ε: the training,
 * validation and per-epoch test losses that `@mnist/train` computes on float32 tensors, and
 * {@link logLoss} / `evaluatePredictions` here on typed arrays. Training computes its gradients
 * with it, so it is part of the training numerics and fixed.
 */
export const CROSS_ENTROPY_EPSILON = 1e-7;

// The bounds as float32 holds them, which is what a float32 tensor's `clipByValue(p, ε, 1 - ε)`
// applies: fround(1e-7) = 1.0000000116860974e-7 and fround(1 - 1e-7) = 1 - 2^-23. Clipping at these
// (rather than at 1e-7 and 1 - 1e-7 in float64) makes a typed-array loss equal the tensor loss up
// to float32 rounding of the log and the sum, even for probabilities at or beyond the bounds.
const CLIP_MIN = Math.fround(CROSS_ENTROPY_EPSILON);
const CLIP_MAX = Math.fround(1 - CROSS_ENTROPY_EPSILON);

/**
 * Mean categorical cross-entropy of the true classes, `-mean(ln p[i, yTrue[i]])` with natural log:
 * the project's loss, the one `@mnist/train` trains on.
 *
 * Each probability is first clipped to `[ε, 1 − ε]` with ε = {@link CROSS_ENTROPY_EPSILON} (the
 * bounds rounded to float32, as the training tensors hold them: 1.0000000116860974e-7 and
 * 1 − 2^-23), so a confident wrong answer (p = 0) costs a large finite amount, at most
 * ≈ 16.118 nats per sample, instead of `Infinity`, and a certain right one still costs
 * ≈ 1.19e-7. The clip is the same for every element type. Rows are not renormalised. Pass softmax
 * outputs, not logits. Where no true-class probability lies beyond the bounds this is
 * scikit-learn's `log_loss` with `labels = [0, numClasses)`; beyond them scikit-learn clips at the
 * machine epsilon of the input's type instead. The logs are taken in float64 and summed with
 * compensated (Neumaier) summation, so the mean stays accurate over large sets.
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
  let sum = 0;
  let compensation = 0;
  for (let row = 0; row < yTrue.length; row++) {
    const p = probabilities[row * numClasses + yTrue[row]!]!;
    const term = -Math.log(Math.min(Math.max(p, CLIP_MIN), CLIP_MAX));
    const next = sum + term;
    compensation += Math.abs(sum) >= Math.abs(term) ? sum - next + term : term - next + sum;
    sum = next;
  }
  return (sum + compensation) / yTrue.length;
}
