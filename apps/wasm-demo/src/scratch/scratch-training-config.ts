import type { TrainingConfigInput } from '@mnist/train';

/**
 * How a from-scratch run trains besides the page's choices (images, epochs) and the worker count:
 * batches of 64, Adam at 1e-3 decayed by 0.6 per epoch, seed 42, no early stopping (there is no
 * validation set). Shared by the worker and the training benchmark, which trains the same in Node.
 */
export const SCRATCH_TRAINING = {
  batchSize: 64,
  learningRate: 1e-3,
  seed: 42,
  earlyStopping: null,
  learningRateSchedule: { kind: 'exponential', decayRate: 0.6 },
} as const satisfies TrainingConfigInput;
