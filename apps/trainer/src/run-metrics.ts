import type { BackendName, EpochRecord, EvaluationReport, ModelConfig, TrainingConfig } from '@mnist/core';

/** One wrongly classified test image, as listed in metrics.json (pixels live in report.html only). */
export interface MisclassifiedRecord {
  /** Index of the image in the 10,000-image test set. */
  index: number;
  label: number;
  predicted: number;
  /** Probability the model gave to its (wrong) prediction. */
  confidence: number;
  /** Probability the model gave to the true label. */
  trueProbability: number;
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
  seed: number;
  /** The fully resolved configs; `{ model, training }` can be passed back as `--config`. */
  config: { model: ModelConfig; training: TrainingConfig };
  data: {
    source: string;
    trainSamples: number;
    validationSamples: number;
    testSamples: number;
  };
  model: { parameters: number; flopsPerImage: number };
  training: { epochsRun: number; bestEpoch: number; stoppedEarly: boolean; seconds: number };
  history: EpochRecord[];
  test: EvaluationReport;
  misclassified: { count: number; shown: MisclassifiedRecord[] };
  versions: Record<string, string>;
}
