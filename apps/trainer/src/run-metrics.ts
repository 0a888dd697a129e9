import type { EvaluationReport } from '@mnist/metrics';
import type { MisclassifiedExample, ModelConfig } from '@mnist/model';
import type { BackendName } from '@mnist/runtime';
import type { EpochRecord } from '@mnist/train';
import type { TrainerTrainingConfig } from './trainer-training-config.js';

/**
 * The model's figures on the test images after one epoch (`--target-accuracy`). For reporting only:
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

/** How long training took to first reach a test accuracy (`--target-accuracy`). */
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

/** The content of metrics.json: everything needed to judge and repeat a training run. */
export interface RunMetrics {
  /** Bumped when a field changes meaning. */
  formatVersion: 1;
  startedAt: string;
  finishedAt: string;
  /** Wall-clock seconds from start to the last file written. */
  totalSeconds: number;
  backend: BackendName;
  /** Threads that computed the gradients (`training.threads` resolved; `auto` depends on the cores). */
  threads: number;
  seed: number;
  /** The fully resolved configs; `{ model, training }` can be passed back as `--config`. */
  config: { model: ModelConfig; training: TrainerTrainingConfig };
  data: {
    source: string;
    trainSamples: number;
    validationSamples: number;
    testSamples: number;
  };
  model: { parameters: number; flopsPerImage: number };
  training: { epochsRun: number; bestEpoch: number; stoppedEarly: boolean; seconds: number };
  history: EpochRecord[];
  /** Test figures after every epoch (`--target-accuracy`); empty when it is `off`. */
  epochTests: EpochTestRecord[];
  /** Time to `--target-accuracy`; null when it is `off`. */
  timeToTarget: TimeToTarget | null;
  test: EvaluationReport;
  /** Wrong test predictions: all counted, the most confident listed (pixels live in report.html only). */
  misclassified: { count: number; shown: MisclassifiedExample[] };
  versions: Record<string, string>;
}
