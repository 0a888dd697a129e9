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
  /**
   * The thread count this run asks for (`threads` resolved on the backend it trains on), or
   * `auto`, which takes the state's own count.
   */
  threads: number | 'auto';
  model: LayersModel;
}

/**
 * Checks that `state` can continue this run: same seed, batch size, training set size and thread
 * count (unless `auto`), a position inside the run, and weights and Adam moments of exactly this model's shapes. Throws
 * `TrainingStateError` naming the field. Internal.
 */
export function checkTrainingState(state: TrainingState, run: ResumeContext): void {
  const fail = (message: string): never => {
    throw new TrainingStateError(`resumeFrom: ${message}`);
  };
  if (state.formatVersion !== 2) {
    fail(
      `formatVersion is ${state.formatVersion}, expected 2` +
        (state.formatVersion === 1
          ? ' (format 1 did not record the thread count, so it cannot resume exactly)'
          : ''),
    );
  }
  for (const field of ['seed', 'batchSize', 'trainSamples'] as const) {
    if (state[field] !== run[field]) {
      fail(
        `${field} is ${state[field]} but this run has ${run[field]}; resume with the same config and data`,
      );
    }
  }
  if (!(Number.isInteger(state.threads) && state.threads >= 1)) {
    fail(`threads is ${state.threads}, expected a whole number >= 1`);
  }
  if (run.threads !== 'auto' && run.threads !== state.threads) {
    fail(
      `threads is ${state.threads} but this run asks for ${run.threads}; resume with threads 'auto' or ` +
        `${state.threads}: each thread draws its own dropout masks, so another count would not end as the uninterrupted run`,
    );
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
