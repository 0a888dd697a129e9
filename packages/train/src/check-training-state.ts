import type { LayersModel } from '@tensorflow/tfjs-layers';
import { TrainingStateError } from './training-state-error.js';
import type { TensorSnapshot, TrainingState } from './training-state.js';

/** What a resumed run must agree on with the state it resumes from. */
export interface ResumeContext {
  seed: number;
  batchSize: number;
  epochs: number;
  trainSamples: number;
  batchesPerEpoch: number;
  model: LayersModel;
}

/**
 * Checks that `state` can continue this run: same seed, batch size and training set size, a
 * position inside the run, and weights and Adam moments of exactly this model's shapes. Throws
 * `TrainingStateError` naming the field. Internal.
 */
export function checkTrainingState(state: TrainingState, run: ResumeContext): void {
  const fail = (message: string): never => {
    throw new TrainingStateError(`resumeFrom: ${message}`);
  };
  if (state.formatVersion !== 1) fail(`formatVersion is ${state.formatVersion}, expected 1`);
  for (const field of ['seed', 'batchSize', 'trainSamples'] as const) {
    if (state[field] !== run[field]) {
      fail(
        `${field} is ${state[field]} but this run has ${run[field]}; resume with the same config and data`,
      );
    }
  }
  if (!(Number.isInteger(state.epoch) && state.epoch >= 0 && state.epoch <= run.epochs)) {
    fail(`epoch is ${state.epoch}, expected a whole number from 0 to ${run.epochs}`);
  }
  if (!(Number.isInteger(state.batch) && state.batch >= 0 && state.batch <= run.batchesPerEpoch)) {
    fail(`batch is ${state.batch}, expected a whole number from 0 to ${run.batchesPerEpoch}`);
  }
  if (!Array.isArray(state.history) || state.history.length > state.epoch) {
    fail(`history holds ${state.history?.length} epochs, more than the ${state.epoch} completed`);
  }
  const weightShapes = run.model.weights.map((w) => w.shape as number[]);
  checkSnapshots('weights', state.weights, weightShapes, fail);
  if (state.best.weights !== null) checkSnapshots('best.weights', state.best.weights, weightShapes, fail);

  // Adam: iterations, then (once it has stepped) a first and a second moment per trainable weight,
  // then the two beta powers.
  const trainable = run.model.trainableWeights.map((w) => w.shape as number[]);
  const stepped = state.optimizer.length > 3;
  const expected = [[], ...(stepped ? [...trainable, ...trainable] : []), [], []];
  checkSnapshots('optimizer', state.optimizer, expected, fail);
}

function checkSnapshots(
  field: string,
  snapshots: TensorSnapshot[],
  shapes: number[][],
  fail: (message: string) => never,
): void {
  if (!Array.isArray(snapshots) || snapshots.length !== shapes.length) {
    fail(`${field} holds ${snapshots?.length} tensors, expected ${shapes.length} for this model`);
  }
  snapshots.forEach((snapshot, i) => {
    const shape = shapes[i]!;
    const size = shape.reduce((a, b) => a * b, 1);
    const sameShape =
      snapshot.shape.length === shape.length && snapshot.shape.every((d, k) => d === shape[k]);
    if (!sameShape || snapshot.values.length !== size) {
      fail(
        `${field}[${i}] (${snapshot.name}) has shape [${snapshot.shape}] and ${snapshot.values.length} values, ` +
          `expected [${shape}] for this model`,
      );
    }
  });
}
