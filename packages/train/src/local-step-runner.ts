import {
  addN,
  dispose,
  keep,
  type Scalar,
  stack,
  sum,
  type Tensor,
  type Tensor1D,
  tidy,
} from '@tensorflow/tfjs-core';
import { countCorrect, meanCrossEntropy } from './batch-statistics.js';
import { makeTrainingBatch } from './make-training-batch.js';
import { measureLossAndAccuracy } from './measure-loss-and-accuracy.js';
import type { StepContext } from './step-context.js';
import type { StepFigures, StepPosition, StepRunner } from './step-runner.js';

/** The step runner that computes every step on the calling thread. Internal. */
export function createLocalStepRunner(context: StepContext): StepRunner {
  return {
    threads: 1,
    step: (indices, at) => stepOnThisThread(context, indices, at),
    measure: (set) => measureLossAndAccuracy(context.model, set),
    async close() {
      context.dropout.restore();
    },
  };
}

/**
 * One Adam step on the training images at `indices`, all on this thread: the batch is made (and
 * augmented) from the typed arrays, then `optimizer.minimize` with dropout on. Internal.
 */
export async function stepOnThisThread(
  context: StepContext,
  indices: Uint32Array,
  at: StepPosition,
): Promise<StepFigures> {
  const { xs, ys } = makeTrainingBatch(context.train, indices, context.augmentation, at);
  let stats: Tensor1D;
  try {
    stats = trainStep(context, at, xs, ys);
  } finally {
    dispose([xs, ys]);
  }
  // Reading the three figures back costs nothing measurable on the CPU backends (cpu, wasm,
  // tfjs-node are synchronous), and it paces the loop so tensors never pile up.
  const [loss, correct, weightSum] = await stats.data<'float32'>();
  stats.dispose();
  return { loss: loss!, correct: correct!, weightSum: weightSum! };
}

/**
 * One Adam step on a batch; returns `[loss, correct, sum of the updated weights]`, computed in the
 * same pass.
 */
function trainStep(context: StepContext, at: StepPosition, xs: Tensor, ys: Tensor): Tensor1D {
  const { forward, optimizer, variables, dropout } = context;
  dropout.seedStep(at.seed, at.epoch, at.batch);
  return tidy(() => {
    let correct: Scalar | undefined;
    const loss = optimizer.minimize(
      () => {
        const probabilities = forward(xs);
        // Kept past the gradient scope; it is off the loss's path, so it costs no gradient work.
        correct = keep(countCorrect(probabilities, ys));
        return meanCrossEntropy(probabilities, ys, context.labelSmoothing);
      },
      true,
      variables,
    ) as Scalar;
    const weightSum = addN(variables.map((variable) => sum(variable)));
    const stats = stack([loss, correct!, weightSum]) as Tensor1D;
    correct!.dispose();
    return stats;
  });
}
