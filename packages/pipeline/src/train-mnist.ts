import { normalizeImages, splitTrainValidation } from '@mnist/data';
import {
  createModel,
  evaluateModel,
  type ModelEvaluation,
  resolveModelConfig,
  summarizeModel,
} from '@mnist/model';
import {
  type AfterEpochTools,
  type EpochRecord,
  resolveTrainingConfig,
  train,
  type TrainingState,
} from '@mnist/train';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { limitImageSet } from './limit-image-set.js';
import { loadSource } from './load-source.js';
import type {
  EpochTestRecord,
  PipelineEvent,
  RunDataCounts,
  TimeToTarget,
  TrainMnistOptions,
  TrainMnistResult,
} from './pipeline-types.js';
import { computeTimeToTarget } from './time-to-target.js';
import { TrainMnistOptionsError } from './train-mnist-options-error.js';

/**
 * One training run of the MNIST CNN, the composition every entry point (the trainer CLI and its
 * sweep trials, the bench's tfjs sides, the `bench` script) calls: loads the data from `source`,
 * keeps the first `trainLimit` training and `testLimit` test images, normalizes them to [0, 1] and
 * holds out the validation split (seeded), builds the model with `createModel` of `@mnist/model`
 * seeded from `training.seed`, trains it with `train()` of `@mnist/train` on the backend that is
 * active (select one with `selectBackend` of `@mnist/runtime` first: this function never switches
 * backends), scores the test set after every epoch when `targetAccuracy` is set (for the time to
 * target; reporting only, it never steers training) and evaluates the trained model on the test set
 * (`evaluateModel`). Progress goes to `onEvent` (see `PipelineEvent`); files are the caller's
 * business (`onCheckpoint` hands over every training state).
 *
 * Resolves with the trained model, which the caller disposes, and the run's figures; an aborted
 * run (`signal`) resolves with `aborted: true` and no evaluation. On a throw the model is disposed.
 * For the same options, backend and thread count, the run is reproducible, resumed or not.
 *
 * @throws {TrainMnistOptionsError} for a bad limit, target or in-memory dataset;
 *   `ModelConfigError` / `TrainingConfigError` for a bad config; `DataSourceError` (and the other
 *   errors of `loadMnist` of `@mnist/data/node`) naming a source that cannot be read; and whatever
 *   `train()` throws (`UnsupportedBackendError`, `TrainingStateError`, `TrainingDivergedError`, ...).
 */
export async function trainMnist(options: TrainMnistOptions = {}): Promise<TrainMnistResult> {
  const modelConfig = resolveModelConfig(options.model);
  const config = resolveTrainingConfig(options.training);
  const trainLimit = checkLimit(options.trainLimit, 'trainLimit');
  const testLimit = checkLimit(options.testLimit, 'testLimit');
  const target = options.targetAccuracy ?? null;
  if (target !== null && !(typeof target === 'number' && target > 0 && target <= 1)) {
    throw new TrainMnistOptionsError(
      `targetAccuracy must be a fraction in (0, 1] or null, got ${String(target)}`,
    );
  }
  const evaluate = options.evaluate ?? true;
  const emit = (event: PipelineEvent) => options.onEvent?.(event);
  const { resumeFrom } = options;

  const dataset = await loadSource(options.source ?? 'package');
  const split = splitTrainValidation(
    normalizeImages(limitImageSet(dataset.train, trainLimit)),
    config.validationSplit,
    config.seed,
  );
  const testSet = normalizeImages(limitImageSet(dataset.test, testLimit));
  const data: RunDataCounts = {
    trainSamples: split.train.count,
    validationSamples: split.validation.count,
    testSamples: testSet.count,
  };

  const model = createModel(modelConfig, { seed: config.seed });
  try {
    const summary = summarizeModel(model);
    emit({
      type: 'runStart',
      model: modelConfig,
      training: config,
      summary,
      data,
      targetAccuracy: target,
      resumedAt: resumeFrom === undefined ? null : { epoch: resumeFrom.epoch, batch: resumeFrom.batch },
    });

    // The figures of the epochs before a resume come from the interrupted run, so the time to
    // target is the one an uninterrupted run reports.
    const restoredEpochs = resumeFrom?.epoch ?? 0;
    const epochTests: EpochTestRecord[] = (options.resumeEpochTests ?? []).filter(
      (test) => test.epoch < restoredEpochs,
    );
    const epochRecords: EpochRecord[] = [...(resumeFrom?.history ?? [])];
    let reached = target !== null && epochTests.some((test) => test.accuracy >= target);
    // Between epochs, outside every epoch's timed seconds; `measure` runs on the training threads.
    const scoreOnTest = async (record: EpochRecord, _trained: LayersModel, tools: AfterEpochTools) => {
      if (target === null) return;
      epochRecords.push(record);
      const started = performance.now();
      const scores = await tools.measure(testSet);
      const test: EpochTestRecord = {
        epoch: record.epoch,
        accuracy: scores.accuracy,
        loss: scores.loss,
        seconds: (performance.now() - started) / 1000,
      };
      epochTests.push(test);
      let reachedTarget: TimeToTarget | null = null;
      if (!reached && test.accuracy >= target) {
        reached = true;
        reachedTarget = computeTimeToTarget(epochRecords, epochTests, target);
      }
      emit({ type: 'epochTest', test, epochs: config.epochs, testSamples: testSet.count, reachedTarget });
    };

    const { onCheckpoint } = options;
    const training = await train({
      model,
      data: split,
      config,
      onEvent: emit,
      ...(options.signal === undefined ? {} : { signal: options.signal }),
      ...(resumeFrom === undefined ? {} : { resumeFrom }),
      checkpointEveryBatches: options.checkpointEveryBatches ?? 0,
      // Only when asked: without a target the test set plays no part in training's time.
      ...(target === null ? {} : { afterEpoch: scoreOnTest }),
      ...(onCheckpoint === undefined
        ? {}
        : { onCheckpoint: (state: TrainingState) => onCheckpoint(state, { epochTests: [...epochTests] }) }),
    });

    const completed = epochTests.filter((test) => test.epoch < training.history.length);
    const timeToTarget = target === null ? null : computeTimeToTarget(training.history, completed, target);
    let evaluation: ModelEvaluation | null = null;
    if (!training.aborted && evaluate !== false) {
      emit({ type: 'evaluationStart', testSamples: testSet.count });
      const misclassified = evaluate === true ? 0 : (evaluate.misclassified ?? 0);
      evaluation = await evaluateModel(model, testSet, { misclassified });
    }
    const result: TrainMnistResult = {
      model,
      aborted: training.aborted,
      training,
      modelConfig,
      summary,
      data,
      dataset,
      epochTests: completed,
      timeToTarget,
      evaluation,
    };
    if (!training.aborted) emit({ type: 'runEnd', result });
    return result;
  } catch (caught) {
    model.dispose();
    throw caught;
  }
}

function checkLimit(limit: number | undefined, option: string): number | undefined {
  if (limit === undefined) return undefined;
  if (!(Number.isInteger(limit) && limit > 0)) {
    throw new TrainMnistOptionsError(`${option} must be a positive integer, got ${String(limit)}`);
  }
  return limit;
}
