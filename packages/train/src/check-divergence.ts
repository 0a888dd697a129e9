import type { StepFigures } from './step-runner.js';
import { TrainingDivergedError } from './training-diverged-error.js';

/**
 * Stops training when a step's loss or the updated weights are no longer finite: broken weights
 * only get worse, and the last checkpoint is then the last good state. The weights are checked
 * too because the clipped loss and ReLU (on some backends) hide NaNs. Internal.
 *
 * @throws {TrainingDivergedError} naming the epoch and batch.
 */
export function checkDivergence(epoch: number, batch: number, figures: StepFigures): void {
  if (!Number.isFinite(figures.loss) || !Number.isFinite(figures.weightSum)) {
    throw new TrainingDivergedError(epoch, batch, figures.loss, Number.isFinite(figures.weightSum));
  }
}
