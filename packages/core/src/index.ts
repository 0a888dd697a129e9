export { MnistError } from './mnist-error.js';
export type { MnistErrorOptions } from './mnist-error.js';
export type {
  Batch,
  ImageSet,
  LabelEncoding,
  MnistDataset,
  PixelStats,
  RawImageSet,
  SplitName,
  TrainValidationSplit,
} from './dataset-types.js';
export type { DigitPrediction, ModelConfig, ModelConfigInput, ModelSummary } from './model-types.js';
export type {
  BackendChoice,
  BackendName,
  BatchEndEvent,
  EarlyStoppingConfig,
  EpochEndEvent,
  EpochRecord,
  LearningRateSchedule,
  TrainEndEvent,
  TrainingConfig,
  TrainingConfigInput,
  TrainingEvent,
  TrainStartEvent,
} from './training-types.js';
export type { AveragedMetrics, ClassMetrics, EvaluationReport } from './evaluation-types.js';

/** Number of classes in MNIST: the digits 0-9. */
export const NUM_CLASSES = 10;
/** Side of an MNIST image in pixels. */
export const IMAGE_SIZE = 28;
