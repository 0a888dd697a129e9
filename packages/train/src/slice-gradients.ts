import {
  keep,
  type NamedTensorMap,
  type Scalar,
  type Tensor,
  type Variable,
  variableGrads,
} from '@tensorflow/tfjs-core';
import { countCorrect, meanCrossEntropy } from './batch-statistics.js';
import type { TrainingForward } from './training-forward.js';

/** A slice's gradients and figures; the caller disposes all three. */
export interface SliceGradients {
  /** Mean training loss of the slice (cross-entropy, label-smoothed as the run says). */
  loss: Scalar;
  /** Number of right predictions in the slice. */
  correct: Scalar;
  /** Gradients of the slice's mean loss, keyed by variable name. */
  grads: NamedTensorMap;
}

/**
 * The gradients of one slice of a batch (`forward`: dropout on, as in training) with respect to `variables`,
 * and the slice's training loss (label-smoothed as the run says) and correct count from the same
 * forward pass: what the calling thread and
 * each gradient thread compute for their slice. Seed the dropout layers first. Internal.
 */
export function sliceGradients(
  forward: TrainingForward,
  variables: Variable[],
  xs: Tensor,
  ys: Tensor,
  labelSmoothing: number,
): SliceGradients {
  let correct: Scalar | undefined;
  // `variableGrads` disposes every tensor `f` makes but the loss; the count is kept past it.
  const { value, grads } = variableGrads(() => {
    const probabilities = forward(xs);
    correct = keep(countCorrect(probabilities, ys));
    return meanCrossEntropy(probabilities, ys, labelSmoothing);
  }, variables);
  return { loss: value, correct: correct!, grads };
}
