import type { EpochRecord } from './training-types.js';

/** A tensor's values copied out of tfjs, so that a training state is plain, serializable data. */
export interface TensorSnapshot {
  /** The weight's or optimizer slot's name when it was saved; for messages only. */
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32';
  values: Float32Array | Int32Array;
}

/**
 * Everything `train` needs to continue a run exactly where it stopped, as plain data (numbers and
 * typed arrays; no tensors): hand it to `train({ resumeFrom })` with a model of the same
 * architecture, the same data and the same config, and the run ends with the same weights and
 * figures as one that was never interrupted.
 *
 * No random-generator state is stored because none is kept: the shuffle of epoch `e` is seeded by
 * `deriveSeed(seed, e)`, the dropout masks of batch `b` by `deriveSeed(seed, e, b, layer)` and an
 * augmented image by its epoch and place in the epoch's order, so the position (`epoch`, `batch`)
 * is the whole of it. The config (augmentation included) is the caller's to keep and pass again.
 */
export interface TrainingState {
  /** 2 since the state records `threads`; a state of format 1 cannot be resumed exactly. */
  formatVersion: 2;
  /** Run seed, batch size and training set size the state belongs to; checked on resume. */
  seed: number;
  batchSize: number;
  trainSamples: number;
  /**
   * Threads that compute each batch's gradients, resolved once when the run started (`auto` from
   * the whole run's images and the cores then). A resume trains on the same count: each thread's
   * slice draws its own dropout masks, so another count would end with other weights.
   */
  threads: number;
  /** The epoch to continue with (zero-based; equal to `epochs` when training is complete). */
  epoch: number;
  /** Batches of `epoch` already trained; the next one to run. */
  batch: number;
  /** Running sums of the unfinished epoch, so its record comes out as if it never stopped. */
  epochProgress: { seen: number; lossSum: number; correct: number; trainMs: number; elapsedMs: number };
  /** Records of the completed epochs. */
  history: EpochRecord[];
  /** Best validation loss so far and its epoch (-1, Infinity before any); weights kept for `restoreBestWeights`. */
  best: { epoch: number; valLoss: number; weights: TensorSnapshot[] | null };
  /** Epochs since the validation loss last improved, for early stopping. */
  sinceImprovement: number;
  /** Early stopping has already decided to stop. */
  stoppedEarly: boolean;
  /** Every weight of the model (trainable or not), in `model.weights` order. */
  weights: TensorSnapshot[];
  /**
   * Adam's state: its `getWeights()` (iteration count, then first and second moments) followed by
   * its running powers of beta1 and beta2, which `setWeights` alone would recompute with `pow` and
   * round differently from the repeated products of an uninterrupted run.
   */
  optimizer: TensorSnapshot[];
}
