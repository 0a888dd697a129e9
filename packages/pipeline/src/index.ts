export { trainMnist } from './train-mnist.js';
export { computeTimeToTarget } from './time-to-target.js';
export { TrainMnistOptionsError } from './train-mnist-options-error.js';
export type {
  EpochTestEvent,
  EpochTestRecord,
  EvaluationStartEvent,
  PipelineEvent,
  RunDataCounts,
  RunEndEvent,
  RunStartEvent,
  TimeToTarget,
  TrainMnistOptions,
  TrainMnistResult,
  TrainMnistSource,
} from './pipeline-types.js';
