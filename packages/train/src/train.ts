import { countBatches, type ImageSet, shuffledIndices, type TrainValidationSplit } from '@mnist/data';
import type { BackendName } from '@mnist/runtime';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { activeTrainingBackend } from './active-training-backend.js';
import { AdamWOptimizer } from './adamw-optimizer.js';
import { availableCores } from './available-cores.js';
import { checkDivergence } from './check-divergence.js';
import { checkImageSet } from './check-image-set.js';
import { checkTrainingState } from './check-training-state.js';
import { deriveSeed } from './derive-seed.js';
import { createEarlyStopping } from './early-stopping.js';
import { createEventLoopPacer } from './event-loop-pacer.js';
import type { GradientThreadHost } from './gradient-thread-host.js';
import {
  isPerStepSchedule,
  learningRateAt,
  meanEpochLearningRate,
  scheduleStepsProblem,
} from './learning-rate-at.js';
import { askedThreadCount, resolveThreadCount } from './resolve-thread-count.js';
import { resolveTrainingConfig } from './resolve-training-config.js';
import { TrainingConfigError } from './training-config-error.js';
import { createStepContext } from './step-context.js';
import { createStepRunner, type StepRunner } from './step-runner.js';
import {
  type CheckpointedRun,
  captureTrainingState,
  type RunPosition,
  restoreTrainingState,
} from './training-checkpoint.js';
import type { TrainingState } from './training-state.js';
import type { EpochRecord, TrainingConfig, TrainingConfigInput, TrainingEvent } from './training-types.js';

/** What `train` needs: the model, the data, and optionally config, progress listener and abort. */
export interface TrainOptions {
  /** The model to train in place, e.g. from `createModel` of `@mnist/model` (softmax output). */
  model: LayersModel;
  /** Training images and the validation images held out from them. */
  data: TrainValidationSplit;
  /** Missing fields take `DEFAULT_TRAINING_CONFIG`; checked by `resolveTrainingConfig`. */
  config?: TrainingConfigInput;
  /** Receives `trainStart`, then per epoch every `batchEnd` and one `epochEnd`, then `trainEnd`. */
  onEvent?: (event: TrainingEvent) => void;
  /** Aborting finishes the current batch, then stops cleanly: `train` resolves with `aborted: true`. */
  signal?: AbortSignal;
  /**
   * Continue from a state `onCheckpoint` received in an earlier call (or `decodeTrainingState`
   * read back), with a model of the same architecture, the same data and config, on the same
   * backend: the run ends exactly as if it had never stopped. It trains on the thread count the
   * state recorded; an explicit `config.threads` must agree with it.
   */
  resumeFrom?: TrainingState;
  /**
   * Receives the state to resume from at the end of every epoch, every `checkpointEveryBatches`
   * batches, and when aborted; training waits for the returned promise (e.g. a file write).
   */
  onCheckpoint?: (state: TrainingState) => Promise<void> | void;
  /** Also checkpoint after every this many batches within an epoch; 0 or unset: at epoch ends only. */
  checkpointEveryBatches?: number;
  /**
   * Called after each completed epoch (after its `epochEnd` event, before its checkpoint) with the
   * model as trained so far; training waits for the returned promise. Use it to measure the model
   * on data that training must not see, e.g. the test set, for a time-to-accuracy figure
   * (`tools.measure` does it on the training threads). Its time counts in `TrainingResult.seconds`
   * but in no epoch's `seconds`.
   */
  afterEpoch?: (record: EpochRecord, model: LayersModel, tools: AfterEpochTools) => Promise<void> | void;
  /**
   * What starts the gradient threads when the run trains on more than one: Node's worker_threads
   * when unset; in a browser, `webWorkerThreadHost` (Web Workers sharing memory, which needs a
   * cross-origin isolated page). Where the threads run changes no number: the same seed and thread
   * count give the same weights on either.
   */
  threadHost?: GradientThreadHost;
}

/** What `afterEpoch` may use besides the model. */
export interface AfterEpochTools {
  /**
   * Mean cross-entropy and accuracy of the model as trained so far on `set`, in inference mode,
   * computed as validation is: split across the training threads when there are several. The
   * threads keep a shared copy of a set measured before (by object identity, the last few sets),
   * so measuring the same set every epoch copies it once; do not change its arrays in between.
   *
   * @throws {TrainingDataError} for an empty set or images that do not fit the model.
   */
  measure(set: ImageSet): Promise<{ loss: number; accuracy: number }>;
}

/** How a `train` call went. */
export interface TrainingResult {
  /** One record per completed epoch (an aborted, partial epoch is not recorded). */
  history: EpochRecord[];
  /** Zero-based epoch with the lowest validation loss (the last epoch without validation data); -1 if none ran. */
  bestEpoch: number;
  /** Early stopping ended training before `epochs`. */
  stoppedEarly: boolean;
  /** The signal aborted training before its end. */
  aborted: boolean;
  /** Number of completed epochs. */
  epochsRun: number;
  /** Wall-clock seconds of the whole call. */
  seconds: number;
  /** The tfjs backend that trained: the one active when `train` was called. */
  backend: BackendName;
  /**
   * Threads that computed each batch's gradients (see `TrainingConfig.threads`): resolved once
   * when the run started, and recorded in its training states so a resume trains on the same.
   */
  threads: number;
  /** The config in effect, defaults filled in. */
  config: TrainingConfig;
}

// Hand control back to the event loop at least this often, so an abort (a timer, a SIGINT
// handler) can land mid-epoch.
const YIELD_EVERY_MS = 20;

/**
 * Trains `model` in place on the active tfjs backend with a custom loop: per epoch, batches in an
 * order shuffled from the seed and the epoch, made from the typed arrays one at a time; Adam
 * (AdamW with `weightDecay`) on the mean categorical cross-entropy (label-smoothed with
 * `labelSmoothing`) with dropout active; the learning rate set from the schedule at each epoch's
 * start, or before every step for the per-step kinds; then validation in inference mode on
 * `data.validation` (never trained on). It never switches backends: the app activates one first (`selectBackend` of
 * `@mnist/runtime`), before creating the model.
 *
 * Reproducible: with the same seed, backend, thread count, data and initial weights
 * (`createModel(config, { seed })`), every loss and accuracy comes out the same, dropout masks
 * included.
 *
 * Early stopping watches the validation loss; with `restoreBestWeights` the best epoch's weights
 * are put back when training ends, however it ends. An empty validation set is allowed: validation
 * figures are then `NaN` and early stopping never triggers. No tensor outlives the call except the
 * model's own weights.
 *
 * With `config.augmentation`, every training batch's images are transformed as they are built (on
 * each thread, its own slice), image k of the epoch's order from `(seed, 'augment', epoch, k)`.
 *
 * Checkpoints (`onCheckpoint`, `resumeFrom`) carry weights, Adam's state, the position, the thread
 * count and the history; no generator state is needed because shuffles, dropout masks and
 * augmentations derive from the seed, the epoch and the batch (or the image's place in it).
 *
 * @throws {TrainingConfigError} for a bad config; {@link UnsupportedBackendError} when the active
 *   backend is not one it trains on; {@link TrainingDataError} for data that does not fit the
 *   model; {@link TrainingStateError} for a `resumeFrom` that does not fit the run;
 *   {@link GradientThreadError} when a thread fails; {@link TrainingDivergedError} when a batch's
 *   loss or the weights become NaN or infinite.
 */
export async function train(options: TrainOptions): Promise<TrainingResult> {
  const startedAt = performance.now();
  const config = resolveTrainingConfig(options.config);
  const { model, data, signal, resumeFrom, onCheckpoint } = options;
  const emit = (event: TrainingEvent) => options.onEvent?.(event);
  const checkpointEvery = options.checkpointEveryBatches ?? 0;
  const { epochs, batchSize, seed } = config;
  const trainSamples = data.train.count;
  const batchesPerEpoch = countBatches(trainSamples, batchSize);
  const hasValidation = data.validation.count > 0;
  const schedule = config.learningRateSchedule;
  const stepsProblem = scheduleStepsProblem(schedule, epochs * batchesPerEpoch);
  if (stepsProblem !== null) throw new TrainingConfigError(stepsProblem);
  const rateAt = (epoch: number, batch: number) =>
    learningRateAt(schedule, config.learningRate, epoch, epochs, batch, batchesPerEpoch);
  checkImageSet('data.train', data.train, model, false);
  checkImageSet('data.validation', data.validation, model, true);
  const backend = await activeTrainingBackend();

  if (resumeFrom !== undefined) {
    checkTrainingState(resumeFrom, {
      seed,
      batchSize,
      epochs,
      trainSamples,
      batchesPerEpoch,
      threads: askedThreadCount(config.threads, backend),
      model,
    });
  }
  // Once per run, from the whole run's images: the count is part of the run's numerics.
  const threads =
    resumeFrom?.threads ??
    resolveThreadCount({
      threads: config.threads,
      backend,
      batchSize,
      plannedImages: trainSamples * epochs,
      cores: await availableCores(),
    });

  emit({
    type: 'trainStart',
    backend,
    threads,
    epochs,
    batchesPerEpoch,
    trainSamples,
    validationSamples: data.validation.count,
  });

  const optimizer = new AdamWOptimizer(rateAt(0, 0), config.weightDecay);
  // Adam reads its (protected) learningRate at every step, so setting it takes effect at once.
  const setRate = (rate: number) => {
    (optimizer as unknown as { learningRate: number }).learningRate = rate;
  };
  const stopping = createEarlyStopping(config.earlyStopping, hasValidation, epochs);
  const history: EpochRecord[] = [];
  const run: CheckpointedRun = {
    model,
    optimizer,
    history,
    stopping,
    identity: { seed, batchSize, trainSamples, threads },
  };
  const checkpoint = async (position: RunPosition) => {
    if (onCheckpoint !== undefined) await onCheckpoint(await captureTrainingState(run, position));
  };
  const pacer = createEventLoopPacer(YIELD_EVERY_MS);
  let aborted = false;
  let bestEpoch = -1;
  let runner: StepRunner | null = null;
  try {
    runner = await createStepRunner(
      createStepContext(model, optimizer, data.train, config.labelSmoothing, config.augmentation),
      backend,
      threads,
      options.threadHost,
    );
    const steps = runner;
    const measure = async (set: ImageSet) => {
      const { lossSum, correct } = await steps.measure(set);
      return { loss: lossSum / set.count, accuracy: correct / set.count };
    };
    let resumed = resumeFrom === undefined ? undefined : await restoreTrainingState(resumeFrom, run);

    for (let epoch = resumed?.epoch ?? 0; epoch < epochs && !stopping.stopped; epoch++) {
      const firstBatch = resumed?.batch ?? 0;
      const sums = resumed?.epochProgress ?? emptyProgress();
      resumed = undefined;
      if (signal?.aborted) {
        aborted = true;
        await checkpoint({ epoch, batch: firstBatch, epochProgress: sums });
        break;
      }
      const epochStart = performance.now() - sums.elapsedMs;
      const progress = () => ({ ...sums, elapsedMs: performance.now() - epochStart });
      // Per step: from the schedule alone (no running state), so a resume mid-epoch sets the same
      // rates as the uninterrupted run; the record reports the mean over the epoch's steps.
      const perStep = isPerStepSchedule(schedule);
      const learningRate = perStep
        ? meanEpochLearningRate(schedule, config.learningRate, epoch, epochs, batchesPerEpoch)
        : rateAt(epoch, 0);
      if (!perStep) setRate(learningRate);
      const order = shuffledIndices(trainSamples, deriveSeed(seed, epoch));
      const stepAt = (batch: number) => ({
        indices: order.subarray(batch * batchSize, Math.min((batch + 1) * batchSize, trainSamples)),
        at: { seed, epoch, batch, position: batch * batchSize },
      });

      for (let batch = firstBatch; batch < batchesPerEpoch; batch++) {
        const stepStart = performance.now();
        if (perStep) setRate(rateAt(epoch, batch));
        const { indices, at } = stepAt(batch);
        // The step after this one in the epoch, whose images a thread pool makes while it waits.
        const figures = await steps.step(
          indices,
          at,
          batch + 1 < batchesPerEpoch ? stepAt(batch + 1) : undefined,
        );
        checkDivergence(epoch, batch, figures);
        sums.trainMs += performance.now() - stepStart;
        sums.seen += indices.length;
        sums.lossSum += figures.loss * indices.length;
        sums.correct += figures.correct;
        emit({
          type: 'batchEnd',
          epoch,
          batch,
          batchesPerEpoch,
          loss: figures.loss,
          accuracy: figures.correct / indices.length,
          samplesPerSecond: sums.seen / (sums.trainMs / 1000),
        });
        const next = { epoch, batch: batch + 1 };
        if (checkpointEvery > 0 && next.batch % checkpointEvery === 0 && next.batch < batchesPerEpoch) {
          await checkpoint({ ...next, epochProgress: progress() });
        }
        await pacer.maybeYield();
        if (signal?.aborted) {
          aborted = true;
          await checkpoint({ ...next, epochProgress: progress() });
          break;
        }
      }
      if (aborted) break;

      const validation = hasValidation
        ? await measure(data.validation)
        : { loss: Number.NaN, accuracy: Number.NaN };
      const record: EpochRecord = {
        epoch,
        loss: sums.lossSum / sums.seen,
        accuracy: sums.correct / sums.seen,
        valLoss: validation.loss,
        valAccuracy: validation.accuracy,
        seconds: (performance.now() - epochStart) / 1000,
        samplesPerSecond: sums.seen / (sums.trainMs / 1000),
        learningRate,
      };
      history.push(record);
      stopping.update(epoch, record.valLoss, model);
      emit({ type: 'epochEnd', ...record, epochs });
      await options.afterEpoch?.({ ...record }, model, {
        measure: async (set) => {
          checkImageSet('the set given to measure', set, model, false);
          return measure(set);
        },
      });
      await checkpoint({ epoch: epoch + 1, batch: 0, epochProgress: emptyProgress() });
    }
    bestEpoch = stopping.finish(model, history.length - 1);
  } finally {
    await runner?.close();
    optimizer.dispose();
    stopping.dispose();
  }

  const seconds = (performance.now() - startedAt) / 1000;
  const stoppedEarly = stopping.stopped;
  emit({ type: 'trainEnd', epochsRun: history.length, stoppedEarly, bestEpoch, seconds, aborted });
  return {
    history,
    bestEpoch,
    stoppedEarly,
    aborted,
    epochsRun: history.length,
    seconds,
    backend,
    threads,
    config,
  };
}

function emptyProgress(): TrainingState['epochProgress'] {
  return { seen: 0, lossSum: 0, correct: 0, trainMs: 0, elapsedMs: 0 };
}
