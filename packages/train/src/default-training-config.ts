import type { TrainingConfig } from './training-types.js';

/**
 * The training defaults: 8 epochs of batches of 128 with Adam under a one-cycle schedule peaking at
 * 6e-3 (PyTorch's `OneCycleLR` with 20% warm-up, starting at the peak / 25 and ending 1e4 times
 * lower), every training image randomly rotated (up to 10 degrees), zoomed (up to 10%) and shifted
 * (up to 10% of the side), 5% of the training images held out for validation, early stopping after
 * 2 epochs without a better validation loss (with the best weights put back), seed 42, one
 * gradient thread per core (`auto`), no label smoothing and no weight decay.
 *
 * Chosen so that the default model (`DEFAULT_MODEL_CONFIG` of `@mnist/model`) reaches 99.5% test
 * accuracy within 5 minutes on a 2-core machine on the WASM backend: the one-cycle schedule gets
 * the most out of few epochs and the augmentation keeps the last epochs from overfitting. The
 * measured runs are in the package README.
 */
export const DEFAULT_TRAINING_CONFIG: TrainingConfig = Object.freeze({
  epochs: 8,
  batchSize: 128,
  learningRate: 6e-3,
  validationSplit: 0.05,
  seed: 42,
  threads: 'auto',
  earlyStopping: Object.freeze({ patience: 2, minDelta: 0, restoreBestWeights: true }),
  learningRateSchedule: Object.freeze({
    kind: 'oneCycle',
    warmupFraction: 0.2,
    initialDivisor: 25,
    finalDivisor: 10_000,
  }),
  labelSmoothing: 0,
  weightDecay: 0,
  augmentation: Object.freeze({ rotationDegrees: 10, scale: 0.1, shift: 0.1, shear: 0, elastic: null }),
}) as TrainingConfig;
