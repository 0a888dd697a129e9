import { CROSS_ENTROPY_EPSILON } from '@mnist/metrics';
import {
  argMax,
  cast,
  clipByValue,
  equal,
  log,
  mean,
  mul,
  neg,
  type Scalar,
  sum,
  type Tensor,
  add,
} from '@tensorflow/tfjs-core';

// The project's one loss clip (Keras's epsilon, 1e-7), defined with the formula in @mnist/metrics:
// probabilities are clipped to [EPSILON, 1 - EPSILON] so a confident wrong answer gives a large
// finite loss and a finite gradient, and every loss figure (training here, `logLoss` there) agrees.
const EPSILON = CROSS_ENTROPY_EPSILON;

/**
 * Per-sample categorical cross-entropy `-sum(y * log(p))` of softmax outputs `probabilities`
 * `[n, classes]` against one-hot `labels` `[n, classes]`, as a `[n]` tensor. Internal.
 */
export function sampleCrossEntropy(probabilities: Tensor, labels: Tensor): Tensor {
  return neg(sum(mul(labels, log(clipByValue(probabilities, EPSILON, 1 - EPSILON))), -1));
}

/**
 * Mean categorical cross-entropy of a batch, the training loss. With `labelSmoothing` s > 0 the
 * one-hot targets become `(1 - s) * labels + s / classes`, which is PyTorch's
 * `CrossEntropyLoss(label_smoothing=s)`: `(1 - s) * CE + s * mean over classes of -log p`. At 0
 * the labels are used as they are, so the numbers are the unsmoothed loss's to the bit. Internal.
 */
export function meanCrossEntropy(probabilities: Tensor, labels: Tensor, labelSmoothing = 0): Scalar {
  const targets =
    labelSmoothing === 0
      ? labels
      : add(mul(labels, 1 - labelSmoothing), labelSmoothing / (labels.shape.at(-1) ?? 1));
  return mean(sampleCrossEntropy(probabilities, targets)) as Scalar;
}

/** Number of rows whose most likely class is the one-hot label's, as a float32 scalar. Internal. */
export function countCorrect(probabilities: Tensor, labels: Tensor): Scalar {
  return sum(cast(equal(argMax(probabilities, -1), argMax(labels, -1)), 'float32')) as Scalar;
}
