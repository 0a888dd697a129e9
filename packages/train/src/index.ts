export { DEFAULT_TRAINING_CONFIG, EARLY_STOPPING_DEFAULTS } from './default-training-config.js';
export { resolveTrainingConfig } from './resolve-training-config.js';
export { learningRateAt } from './learning-rate-at.js';
export { AUTO_MIN_TRAINING_IMAGES } from './resolve-thread-count.js';
export { train } from './train.js';
export { createTrainingForward } from './training-forward.js';
export type { TrainingForward } from './training-forward.js';
export type { AfterEpochTools, TrainingResult, TrainOptions } from './train.js';
export { encodeTrainingState, decodeTrainingState } from './training-state-codec.js';
export type { DecodedTrainingState } from './training-state-codec.js';
export { TrainingConfigError } from './training-config-error.js';
export { TrainingDataError } from './training-data-error.js';
export { UnsupportedBackendError } from './unsupported-backend-error.js';
export type {
  BatchEndEvent,
  EarlyStoppingConfig,
  EpochEndEvent,
  EpochLearningRateSchedule,
  EpochRecord,
  LearningRateSchedule,
  StepLearningRateSchedule,
  TrainEndEvent,
  TrainingConfig,
  TrainingConfigInput,
  TrainingEvent,
  TrainStartEvent,
} from './training-types.js';
export type { TensorSnapshot, TrainingState } from './training-state.js';
export { TrainingDivergedError } from './training-diverged-error.js';
export { TrainingStateError } from './training-state-error.js';
export { GradientThreadError } from './gradient-thread-error.js';
export type { GradientThreadEndpoint, GradientThreadHost } from './gradient-thread-host.js';
export { webWorkerThreadHost } from './web-worker-thread-host.js';
export type { WebWorkerLike, WebWorkerThreadHostOptions } from './web-worker-thread-host.js';
export { serveGradientThread } from './serve-gradient-thread.js';
export type { GradientThreadPort, ServeGradientThreadOptions } from './serve-gradient-thread.js';
