import type { EpochRecord } from './training-types.js';
import { type AdamOptimizer, dispose } from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { captureAdamState, restoreAdamState } from './adam-state.js';
import type { EarlyStopping } from './early-stopping.js';
import { snapshotTensors, tensorFromSnapshot } from './snapshot-tensors.js';
import type { TrainingState } from './training-state.js';

/** The parts of a run a training state is taken from and put back into. Internal. */
export interface CheckpointedRun {
  model: LayersModel;
  optimizer: AdamOptimizer;
  /** Records of the completed epochs; a restore appends the state's. */
  history: EpochRecord[];
  stopping: EarlyStopping;
  /** What the run is: checked on resume (see `checkTrainingState`). */
  identity: Pick<TrainingState, 'seed' | 'batchSize' | 'trainSamples' | 'threads'>;
}

/** Where a run stands: the next batch to train is `batch` of `epoch`. Internal. */
export type RunPosition = Pick<TrainingState, 'epoch' | 'batch' | 'epochProgress'>;

/**
 * The state to resume `run` from at `position`, as plain data: weights, Adam's exact state, early
 * stopping and the history, copied out of tfjs. Internal.
 */
export async function captureTrainingState(
  run: CheckpointedRun,
  position: RunPosition,
): Promise<TrainingState> {
  return {
    formatVersion: 2,
    ...run.identity,
    epoch: position.epoch,
    batch: position.batch,
    epochProgress: { ...position.epochProgress },
    history: run.history.map((record) => ({ ...record })),
    ...(await run.stopping.capture()),
    weights: await snapshotTensors(
      run.model.weights.map((w) => ({ name: w.originalName, tensor: w.read() })),
    ),
    optimizer: await captureAdamState(run.optimizer),
  };
}

/**
 * Puts a checked `state` (see `checkTrainingState`) back into `run` and returns where it stood.
 * Internal.
 */
export async function restoreTrainingState(state: TrainingState, run: CheckpointedRun): Promise<RunPosition> {
  const weights = state.weights.map(tensorFromSnapshot);
  run.model.setWeights(weights);
  dispose(weights);
  await restoreAdamState(run.optimizer, state.optimizer);
  run.history.push(...state.history.map((record) => ({ ...record })));
  run.stopping.restore(state);
  return { epoch: state.epoch, batch: state.batch, epochProgress: { ...state.epochProgress } };
}
