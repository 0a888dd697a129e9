import type { BackendName } from '@mnist/runtime';

/** Stop when validation loss has not improved for `patience` epochs. */
export interface EarlyStoppingConfig {
  patience: number;
  /** Smallest decrease of validation loss that counts as an improvement. */
  minDelta: number;
  /** Put back the weights of the best epoch when training stops. */
  restoreBestWeights: boolean;
}

/** Learning rate as a function of the zero-based epoch. */
export type LearningRateSchedule =
  | { kind: 'constant' }
  | { kind: 'exponential'; decayRate: number }
  | { kind: 'step'; everyEpochs: number; factor: number }
  | { kind: 'cosine'; minLearningRate: number };

/** How to train: optimizer, batches, validation and reproducibility. */
export interface TrainingConfig {
  epochs: number;
  batchSize: number;
  learningRate: number;
  /** Fraction of the training images held out for validation, in [0, 1). */
  validationSplit: number;
  /** Seed of the shuffle, split and weight initialization: same seed, same backend, same numbers. */
  seed: number;
  /**
   * Threads that compute each batch's gradients together on the `wasm` and `cpu` backends (data
   * parallel: each takes a slice of the batch, their gradients are averaged, one optimizer step);
   * `auto` takes one per core, at most one per 16 images of a batch, and 1 for short runs or the
   * `tensorflow` backend (already multi-threaded). 1 trains on the calling thread only.
   */
  threads: number | 'auto';
  earlyStopping: EarlyStoppingConfig | null;
  learningRateSchedule: LearningRateSchedule;
}

/** A partial training config as a user writes it; missing fields take the defaults. */
export type TrainingConfigInput = Partial<TrainingConfig>;

/** Figures of one finished epoch, as kept in the training history. */
export interface EpochRecord {
  /** Zero-based epoch index. */
  epoch: number;
  loss: number;
  accuracy: number;
  valLoss: number;
  valAccuracy: number;
  /** Wall-clock seconds of the epoch, validation included. */
  seconds: number;
  /** Training throughput: training samples divided by time spent on training steps. */
  samplesPerSecond: number;
  learningRate: number;
}

/** Emitted once before the first batch. */
export interface TrainStartEvent {
  type: 'trainStart';
  backend: BackendName;
  /** Threads computing each batch's gradients (`TrainingConfig.threads` resolved once per run). */
  threads?: number;
  epochs: number;
  batchesPerEpoch: number;
  trainSamples: number;
  validationSamples: number;
}

/** Emitted after every training step. */
export interface BatchEndEvent {
  type: 'batchEnd';
  epoch: number;
  /** Zero-based index of the batch within the epoch. */
  batch: number;
  batchesPerEpoch: number;
  loss: number;
  accuracy: number;
  samplesPerSecond: number;
}

/** Emitted after each epoch's validation. */
export interface EpochEndEvent extends EpochRecord {
  type: 'epochEnd';
  epochs: number;
}

/** Emitted once when training ends, early or not. */
export interface TrainEndEvent {
  type: 'trainEnd';
  epochsRun: number;
  stoppedEarly: boolean;
  bestEpoch: number;
  seconds: number;
  /** True when an `AbortSignal` stopped training before its last epoch (added by @mnist/train). */
  aborted?: boolean;
}

/** Every progress event the training loop emits, discriminated by `type`. */
export type TrainingEvent = TrainStartEvent | BatchEndEvent | EpochEndEvent | TrainEndEvent;
