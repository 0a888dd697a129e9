import type { TrainingConfig } from './training-types.js';

/**
 * The training defaults: Adam at 1e-3 on batches of 64 for 6 epochs, the learning rate decayed by
 * 0.6 per epoch (1e-3, 6e-4, 3.6e-4, ... 7.8e-5), 10% of the training images held out for
 * validation, early stopping after 2 epochs without a better validation loss (with the best
 * weights put back), seed 42, one gradient thread per core (`auto`), no label smoothing, no
 * weight decay and no augmentation.
 *
 * Chosen so that the default model (`DEFAULT_MODEL_CONFIG` of `@mnist/model`) passes 99.2% test
 * accuracy in well under 20 minutes on a 2-core machine on the WASM backend; see the package
 * README for the measured runs behind these numbers.
 */
export const DEFAULT_TRAINING_CONFIG: TrainingConfig = Object.freeze({
  epochs: 6,
  batchSize: 64,
  learningRate: 1e-3,
  validationSplit: 0.1,
  seed: 42,
  threads: 'auto',
  earlyStopping: Object.freeze({ patience: 2, minDelta: 0, restoreBestWeights: true }),
  learningRateSchedule: Object.freeze({ kind: 'exponential', decayRate: 0.6 }),
  labelSmoothing: 0,
  weightDecay: 0,
  augmentation: null,
}) as TrainingConfig;
