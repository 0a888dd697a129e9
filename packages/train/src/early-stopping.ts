import type { EarlyStoppingConfig } from './training-types.js';
import { dispose, type Tensor } from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { snapshotTensors, tensorFromSnapshot } from './snapshot-tensors.js';
import type { TrainingState } from './training-state.js';

/** The part of a training state early stopping keeps. */
export type EarlyStoppingState = Pick<TrainingState, 'best' | 'sinceImprovement' | 'stoppedEarly'>;

/**
 * Watches the validation loss of each epoch: the best epoch so far (with its weights when they are
 * to be put back), the epochs since it, and whether to stop. Owns the best weights' tensors. Internal.
 */
export interface EarlyStopping {
  /** Early stopping has decided to stop (no epoch should follow). */
  readonly stopped: boolean;
  /** Takes the validation loss of a finished epoch (NaN without validation data). */
  update(epoch: number, valLoss: number, model: LayersModel): void;
  /**
   * At the end of training, however it ended: puts the best epoch's weights back into `model`
   * when asked to, and returns the best epoch (the last one without validation data; -1 if none ran).
   */
  finish(model: LayersModel, lastEpoch: number): number;
  capture(): Promise<EarlyStoppingState>;
  restore(state: EarlyStoppingState): void;
  /** Frees the kept weights. */
  dispose(): void;
}

/**
 * Early stopping for a run of `epochs` epochs; `config` null only tracks the best epoch. Without
 * validation data it never stops and keeps no weights. Internal.
 */
export function createEarlyStopping(
  config: EarlyStoppingConfig | null,
  hasValidation: boolean,
  epochs: number,
): EarlyStopping {
  const minDelta = config?.minDelta ?? 0;
  const keepBest = hasValidation && config?.restoreBestWeights === true;
  let best = { epoch: -1, valLoss: Number.POSITIVE_INFINITY, weights: null as Tensor[] | null };
  let sinceImprovement = 0;
  let stopped = false;
  return {
    get stopped() {
      return stopped;
    },
    update(epoch, valLoss, model) {
      if (valLoss < best.valLoss - minDelta) {
        sinceImprovement = 0;
        let weights: Tensor[] | null = null;
        // The last epoch's weights are the model's own when training ends: nothing to keep.
        if (keepBest && epoch < epochs - 1) {
          // Clones share storage with the variables until the optimizer replaces their values.
          weights = model.getWeights().map((weight) => weight.clone());
        }
        dispose(best.weights ?? []);
        best = { epoch, valLoss, weights };
      } else if (hasValidation) {
        sinceImprovement++;
        if (config !== null && sinceImprovement >= config.patience && epoch < epochs - 1) stopped = true;
      }
    },
    finish(model, lastEpoch) {
      if (!hasValidation) best.epoch = lastEpoch;
      if (keepBest && best.weights !== null && best.epoch !== lastEpoch) model.setWeights(best.weights);
      return best.epoch;
    },
    async capture() {
      const weights =
        best.weights === null
          ? null
          : await snapshotTensors(best.weights.map((tensor, i) => ({ name: `best/${i}`, tensor })));
      return {
        best: { epoch: best.epoch, valLoss: best.valLoss, weights },
        sinceImprovement,
        stoppedEarly: stopped,
      };
    },
    restore(state) {
      dispose(best.weights ?? []);
      best = {
        epoch: state.best.epoch,
        valLoss: state.best.valLoss,
        weights: state.best.weights === null ? null : state.best.weights.map(tensorFromSnapshot),
      };
      sinceImprovement = state.sinceImprovement;
      stopped = state.stoppedEarly;
    },
    dispose() {
      dispose(best.weights ?? []);
      best.weights = null;
    },
  };
}
