import type { AugmentationConfig } from '@mnist/data';
import type { BackendName } from '@mnist/runtime';

/** Stop when validation loss has not improved for `patience` epochs. */
export interface EarlyStoppingConfig {
  patience: number;
  /** Smallest decrease of validation loss that counts as an improvement. */
  minDelta: number;
  /** Put back the weights of the best epoch when training stops. */
  restoreBestWeights: boolean;
}

/** Learning rate as a function of the zero-based epoch, set at the start of every epoch. */
export type EpochLearningRateSchedule =
  | { kind: 'constant' }
  | { kind: 'exponential'; decayRate: number }
  | { kind: 'step'; everyEpochs: number; factor: number }
  | { kind: 'cosine'; minLearningRate: number };

/**
 * Learning rate as a function of the zero-based step of the whole run (`epochs * batchesPerEpoch`
 * steps), set before every step; `learningRate` is the peak:
 * - `oneCycle`: PyTorch's `OneCycleLR(max_lr=learningRate, total_steps, pct_start=warmupFraction,
 *   div_factor=initialDivisor, final_div_factor=finalDivisor, anneal_strategy='cos',
 *   three_phase=False, cycle_momentum=False)`, step for step: half a cosine up from
 *   `learningRate / initialDivisor` to `learningRate`, then half a cosine down to
 *   `learningRate / initialDivisor / finalDivisor` at the last step;
 * - `warmupCosine`: linear from 0 to `learningRate` over the first `warmupFraction` of the steps,
 *   then half a cosine down to `minLearningRate` at the last step.
 */
export type StepLearningRateSchedule =
  | { kind: 'oneCycle'; warmupFraction: number; initialDivisor: number; finalDivisor: number }
  | { kind: 'warmupCosine'; warmupFraction: number; minLearningRate: number };

/** How the learning rate moves during a run: per epoch or per step. */
export type LearningRateSchedule = EpochLearningRateSchedule | StepLearningRateSchedule;

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
  /**
   * Label smoothing of the training loss, in [0, 1), as PyTorch's
   * `CrossEntropyLoss(label_smoothing=...)`: the target is `(1 - s)` on the true class plus `s / 10`
   * on every class. 0 (the default) trains on the plain one-hot cross-entropy. Validation and test
   * losses stay plain cross-entropy.
   */
  labelSmoothing: number;
  /**
   * Decoupled weight decay, as `torch.optim.AdamW`: before each Adam step every trained weight is
   * multiplied by `1 - learningRate * weightDecay` (the step's rate). 0 is plain Adam; the default
   * is 0.1.
   */
  weightDecay: number;
  /**
   * Random affine (and optionally elastic) transforms of every training batch's images, never of
   * validation or test images (`augmentImageSet` of `@mnist/data`); `null` (the default) for none.
   * Image k of an epoch's shuffled order is transformed from `(seed, 'augment', epoch, k)`, so a
   * run comes out the same on any thread split and across a resume.
   */
  augmentation: AugmentationConfig | null;
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
  /**
   * The epoch's learning rate: for the per-epoch schedules the rate it trained at; for the per-step
   * ones (`oneCycle`, `warmupCosine`) the mean of the rates of its steps.
   */
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
