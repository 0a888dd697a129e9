import type { LearningRateSchedule } from './training-types.js';

/**
 * The learning rate of zero-based `epoch` out of `epochs` under `schedule`, starting from
 * `learningRate` at epoch 0:
 * - `constant`: `learningRate`;
 * - `exponential`: `learningRate * decayRate^epoch`;
 * - `step`: `learningRate * factor^floor(epoch / everyEpochs)`;
 * - `cosine`: half a cosine from `learningRate` at the first epoch down to `minLearningRate` at the
 *   last one (`epochs - 1`).
 *
 * The training loop sets it on the optimizer at the start of every epoch.
 */
export function learningRateAt(
  schedule: LearningRateSchedule,
  learningRate: number,
  epoch: number,
  epochs: number,
): number {
  switch (schedule.kind) {
    case 'constant':
      return learningRate;
    case 'exponential':
      return learningRate * schedule.decayRate ** epoch;
    case 'step':
      return learningRate * schedule.factor ** Math.floor(epoch / schedule.everyEpochs);
    case 'cosine': {
      const progress = epochs > 1 ? Math.min(epoch / (epochs - 1), 1) : 0;
      const min = schedule.minLearningRate;
      return min + (learningRate - min) * 0.5 * (1 + Math.cos(Math.PI * progress));
    }
  }
}
