import { type AdamOptimizer, dispose, type Variable } from '@tensorflow/tfjs-core';
import { snapshotTensors, tensorFromSnapshot } from './snapshot-tensors.js';
import type { TensorSnapshot } from './training-state.js';

/** Adam's running powers of beta1 and beta2: protected in tfjs, but part of its exact state. */
interface AdamBetas {
  accBeta1: Variable;
  accBeta2: Variable;
}

/**
 * Adam's whole state as snapshots: `getWeights()` (the iteration count, then the first and second
 * moments) followed by its running powers of beta1 and beta2. Internal.
 */
export async function captureAdamState(optimizer: AdamOptimizer): Promise<TensorSnapshot[]> {
  const weights = await optimizer.getWeights();
  const betas = optimizer as unknown as AdamBetas;
  try {
    return await snapshotTensors([
      ...weights,
      { name: 'accBeta1', tensor: betas.accBeta1 },
      { name: 'accBeta2', tensor: betas.accBeta2 },
    ]);
  } finally {
    // getWeights makes a new tensor for the iteration count; the moments are Adam's own variables.
    weights[0]?.tensor.dispose();
  }
}

/**
 * Puts a state from `captureAdamState` into a fresh Adam optimizer. `setWeights` alone would
 * recompute the beta powers as `beta ** (t + 1)`, which rounds differently from the running
 * products an uninterrupted run keeps: the saved values are assigned back so the next step is
 * bit-identical. Internal.
 */
export async function restoreAdamState(optimizer: AdamOptimizer, state: TensorSnapshot[]): Promise<void> {
  const betas = state.slice(-2);
  const named = state.slice(0, -2).map((s) => ({ name: s.name, tensor: tensorFromSnapshot(s) }));
  try {
    await optimizer.setWeights(named);
  } finally {
    // setWeights copies the moments into variables of its own.
    dispose(named.map((n) => n.tensor));
  }
  const own = optimizer as unknown as AdamBetas;
  const [beta1, beta2] = betas.map(tensorFromSnapshot);
  own.accBeta1.assign(beta1!);
  own.accBeta2.assign(beta2!);
  dispose([beta1!, beta2!]);
}
