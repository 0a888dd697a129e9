import { countBatches, type ImageSet, iterateBatches, type TrainValidationSplit } from '@mnist/data';
import {
  type AdamOptimizer,
  add,
  addN,
  dispose,
  keep,
  mul,
  type Scalar,
  slice,
  stack,
  sum,
  type Tensor,
  type Tensor1D,
  tensor,
  train as optimizers,
  tidy,
  type Variable,
} from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { EpochRecord, TrainingConfig, TrainingConfigInput, TrainingEvent } from './training-types.js';
import type { BackendName } from './backend-types.js';
import { captureAdamState, restoreAdamState } from './adam-state.js';
import { countCorrect, meanCrossEntropy } from './batch-statistics.js';
import { checkTrainingState } from './check-training-state.js';
import { checkImageSet } from './check-image-set.js';
import { deriveSeed } from './derive-seed.js';
import { createDropoutSeeder, type DropoutSeeder } from './dropout-seeder.js';
import { type GradientThreads, startGradientThreads } from './gradient-threads.js';
import { availableCores } from './available-cores.js';
import { learningRateAt } from './learning-rate-at.js';
import { measureLossAndAccuracy } from './measure-loss-and-accuracy.js';
import { resolveThreadCount } from './resolve-thread-count.js';
import { resolveTrainingConfig } from './resolve-training-config.js';
import { type SliceGradients, sliceGradients } from './slice-gradients.js';
import { selectBackend } from './select-backend.js';
import { snapshotTensors, tensorFromSnapshot } from './snapshot-tensors.js';
import { TrainingDivergedError } from './training-diverged-error.js';
import type { TrainingState } from './training-state.js';

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
   * Continue from a state `onCheckpoint` received in an earlier call, with a model of the same
   * architecture and the same data and config: the run ends exactly as if it had never stopped.
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
}

/** What `afterEpoch` may use besides the model. */
export interface AfterEpochTools {
  /**
   * Mean cross-entropy and accuracy of the model as trained so far on `set`, in inference mode,
   * computed as validation is: split across the training threads when there are several.
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
  /** The tfjs backend that trained. */
  backend: BackendName;
  /** Threads that computed each batch's gradients (see `TrainingConfig.threads`). */
  threads: number;
  /** The config in effect, defaults filled in. */
  config: TrainingConfig;
}

// Hand control back to the event loop at least this often, so an abort (a timer, a SIGINT
// handler) can land mid-epoch: on CPU backends every tfjs call is synchronous.
const YIELD_EVERY_MS = 20;

/**
 * Trains `model` in place with a custom loop: per epoch, batches in an order shuffled from the
 * seed and the epoch, made from the typed arrays one at a time; Adam on the mean categorical
 * cross-entropy with dropout active; the learning rate set from the schedule at each epoch's start;
 * then validation in inference mode on `data.validation` (never trained on). Selects the backend
 * from `config.backend` first (see `selectBackend`).
 *
 * Reproducible: with the same seed, backend, data and initial weights (`createModel(config, { seed })`),
 * every loss and accuracy comes out the same, dropout masks included.
 *
 * Early stopping watches the validation loss; with `restoreBestWeights` the best epoch's weights
 * are put back when training ends, however it ends. An empty validation set is allowed: validation
 * figures are then `NaN` and early stopping never triggers. No tensor outlives the call except the
 * model's own weights.
 *
 * Checkpoints (`onCheckpoint`, `resumeFrom`) carry weights, Adam's state, the position and the
 * history; no generator state is needed because shuffles and dropout masks derive from the seed,
 * the epoch and the batch.
 *
 * @throws {TrainingConfigError} for a bad config; {@link BackendUnavailableError} for an explicit
 *   backend that cannot load; {@link TrainingDataError} for data that does not fit the model;
 *   {@link TrainingStateError} for a `resumeFrom` that does not fit the run;
 *   {@link TrainingDivergedError} when a batch's loss is NaN or infinite.
 */
export async function train(options: TrainOptions): Promise<TrainingResult> {
  const startedAt = performance.now();
  const config = resolveTrainingConfig(options.config);
  const { model, data, onEvent, signal, resumeFrom, onCheckpoint } = options;
  const checkpointEvery = options.checkpointEveryBatches ?? 0;
  checkImageSet('data.train', data.train, model, false);
  checkImageSet('data.validation', data.validation, model, true);
  const backend = await selectBackend(config.backend);
  const emit = (event: TrainingEvent) => onEvent?.(event);

  const { epochs, batchSize, seed } = config;
  const batchesPerEpoch = countBatches(data.train.count, batchSize);
  let threadCount: number;
  if (resumeFrom === undefined) {
    // Once per run, from the whole run's images: the count is part of the run's numerics.
    threadCount = resolveThreadCount({
      threads: config.threads,
      backend,
      batchSize,
      plannedImages: data.train.count * epochs,
      cores: await availableCores(),
    });
  } else {
    const asked =
      config.threads === 'auto' && backend !== 'tensorflow'
        ? 'auto'
        : resolveThreadCount({ threads: config.threads, backend, batchSize, plannedImages: 0, cores: 1 });
    checkTrainingState(resumeFrom, {
      seed,
      batchSize,
      epochs,
      trainSamples: data.train.count,
      batchesPerEpoch,
      threads: asked,
      model,
    });
    threadCount = resumeFrom.threads;
  }
  const hasValidation = data.validation.count > 0;
  const earlyStopping = config.earlyStopping;
  const minDelta = earlyStopping?.minDelta ?? 0;
  const keepBest = hasValidation && earlyStopping?.restoreBestWeights === true;

  emit({
    type: 'trainStart',
    backend,
    threads: threadCount,
    epochs,
    batchesPerEpoch,
    trainSamples: data.train.count,
    validationSamples: data.validation.count,
  });

  const optimizer = optimizers.adam(
    learningRateAt(config.learningRateSchedule, config.learningRate, 0, epochs),
  );
  const variables = model.trainableWeights.map((weight) => weight.read() as Variable);
  const dropout = createDropoutSeeder(model);
  const history: EpochRecord[] = [];
  let best = { epoch: -1, valLoss: Number.POSITIVE_INFINITY, weights: null as Tensor[] | null };
  let sinceImprovement = 0;
  let stoppedEarly = false;
  let aborted = false;
  let lastYield = performance.now();
  let resume = resumeFrom;

  /** Hands the state to resume from to `onCheckpoint`: the next batch to run is `batch` of `epoch`. */
  const checkpoint = async (epoch: number, batch: number, progress: TrainingState['epochProgress']) => {
    if (onCheckpoint === undefined) return;
    const state: TrainingState = {
      formatVersion: 2,
      seed,
      batchSize,
      trainSamples: data.train.count,
      threads: threadCount,
      epoch,
      batch,
      epochProgress: progress,
      history: history.map((record) => ({ ...record })),
      best: {
        epoch: best.epoch,
        valLoss: best.valLoss,
        weights:
          best.weights === null
            ? null
            : await snapshotTensors(best.weights.map((tensor, i) => ({ name: `best/${i}`, tensor }))),
      },
      sinceImprovement,
      stoppedEarly,
      weights: await snapshotTensors(model.weights.map((w) => ({ name: w.originalName, tensor: w.read() }))),
      optimizer: await captureAdamState(optimizer),
    };
    await onCheckpoint(state);
  };

  let threads: GradientThreads | null = null;
  try {
    if (threadCount > 1) threads = await startGradientThreads(model, backend, threadCount - 1);
    if (resume !== undefined) {
      const weights = resume.weights.map(tensorFromSnapshot);
      model.setWeights(weights);
      dispose(weights);
      await restoreAdamState(optimizer, resume.optimizer);
      history.push(...resume.history.map((record) => ({ ...record })));
      best = {
        epoch: resume.best.epoch,
        valLoss: resume.best.valLoss,
        weights: resume.best.weights === null ? null : resume.best.weights.map(tensorFromSnapshot),
      };
      sinceImprovement = resume.sinceImprovement;
      stoppedEarly = resume.stoppedEarly;
    }
    for (let epoch = resume?.epoch ?? 0; epoch < epochs && !aborted && !stoppedEarly; epoch++) {
      if (signal?.aborted) {
        aborted = true;
        await checkpoint(epoch, resume?.batch ?? 0, resume?.epochProgress ?? emptyProgress());
        break;
      }
      const epochStart = performance.now() - (resume?.epochProgress.elapsedMs ?? 0);
      const learningRate = learningRateAt(config.learningRateSchedule, config.learningRate, epoch, epochs);
      // Adam reads its (protected) learningRate at every step, so setting it takes effect at once.
      (optimizer as unknown as { learningRate: number }).learningRate = learningRate;
      let { trainMs, seen, lossSum, correct } = resume?.epochProgress ?? emptyProgress();
      let batchIndex = resume?.batch ?? 0;
      const batches = iterateBatches(data.train, batchSize, {
        encoding: 'one-hot',
        shuffleSeed: deriveSeed(seed, epoch),
      });
      // Resuming mid-epoch: the same shuffle, minus the batches already trained.
      for (let skip = 0; skip < batchIndex; skip++) {
        const skipped = batches.next();
        if (!skipped.done) dispose([skipped.value.xs, skipped.value.ys]);
      }
      resume = undefined;
      const progress = () => ({ seen, lossSum, correct, trainMs, elapsedMs: performance.now() - epochStart });
      // Reading the two figures back costs nothing measurable on the CPU backends (cpu, wasm,
      // tfjs-node are synchronous), and it paces the loop so tensors never pile up.
      while (true) {
        const stepStart = performance.now();
        const next = batches.next();
        if (next.done) break;
        const { xs, ys, size } = next.value;
        let batchLoss: number;
        let batchCorrect: number;
        let weightSum: number;
        try {
          const position = { seed, epoch, batch: batchIndex };
          [batchLoss, batchCorrect, weightSum] =
            threads === null
              ? await readStats(trainStep(model, optimizer, dropout, position, variables, xs, ys))
              : await parallelTrainStep(model, optimizer, dropout, position, variables, threads, xs, ys);
        } finally {
          dispose([xs, ys]);
        }
        // Broken weights only get worse: stop here, the last checkpoint is the last good state.
        // The weights are checked too: the clipped loss and ReLU (on some backends) hide NaNs.
        if (!Number.isFinite(batchLoss) || !Number.isFinite(weightSum)) {
          throw new TrainingDivergedError(epoch, batchIndex, batchLoss, Number.isFinite(weightSum));
        }
        trainMs += performance.now() - stepStart;
        seen += size;
        lossSum += batchLoss * size;
        correct += batchCorrect;
        emit({
          type: 'batchEnd',
          epoch,
          batch: batchIndex,
          batchesPerEpoch,
          loss: batchLoss,
          accuracy: batchCorrect / size,
          samplesPerSecond: seen / (trainMs / 1000),
        });
        batchIndex++;
        if (checkpointEvery > 0 && batchIndex % checkpointEvery === 0 && batchIndex < batchesPerEpoch) {
          await checkpoint(epoch, batchIndex, progress());
        }
        if (performance.now() - lastYield >= YIELD_EVERY_MS) {
          await yieldToEventLoop();
          lastYield = performance.now();
        }
        if (signal?.aborted) {
          aborted = true;
          batches.return();
          await checkpoint(epoch, batchIndex, progress());
          break;
        }
      }
      if (aborted) break;

      const validation = hasValidation
        ? await measure(model, data.validation, threads)
        : { loss: Number.NaN, accuracy: Number.NaN };
      const record: EpochRecord = {
        epoch,
        loss: lossSum / seen,
        accuracy: correct / seen,
        valLoss: validation.loss,
        valAccuracy: validation.accuracy,
        seconds: (performance.now() - epochStart) / 1000,
        samplesPerSecond: seen / (trainMs / 1000),
        learningRate,
      };
      history.push(record);

      if (validation.loss < best.valLoss - minDelta) {
        sinceImprovement = 0;
        let weights: Tensor[] | null = null;
        if (keepBest && epoch < epochs - 1) {
          // Clones share storage with the variables until the optimizer replaces their values.
          weights = model.getWeights().map((weight) => weight.clone());
        }
        dispose(best.weights ?? []);
        best = { epoch, valLoss: validation.loss, weights };
      } else if (hasValidation) {
        sinceImprovement++;
        if (earlyStopping !== null && sinceImprovement >= earlyStopping.patience && epoch < epochs - 1) {
          stoppedEarly = true;
        }
      }
      emit({ type: 'epochEnd', ...record, epochs });
      await options.afterEpoch?.({ ...record }, model, {
        measure: async (set) => {
          checkImageSet('the set given to measure', set, model, false);
          return measure(model, set, threads);
        },
      });
      await checkpoint(epoch + 1, 0, emptyProgress());
    }

    const lastEpoch = history.length - 1;
    if (!hasValidation) best.epoch = lastEpoch;
    if (keepBest && best.weights !== null && best.epoch !== lastEpoch) {
      model.setWeights(best.weights);
    }
  } finally {
    await threads?.terminate();
    dropout.restore();
    optimizer.dispose();
    dispose(best.weights ?? []);
  }

  const seconds = (performance.now() - startedAt) / 1000;
  const result: TrainingResult = {
    history,
    bestEpoch: best.epoch,
    stoppedEarly,
    aborted,
    epochsRun: history.length,
    seconds,
    backend,
    threads: threadCount,
    config,
  };
  emit({
    type: 'trainEnd',
    epochsRun: history.length,
    stoppedEarly,
    bestEpoch: best.epoch,
    seconds,
    aborted,
  });
  return result;
}

/** Which step of the run a batch is: seeds its dropout masks. */
interface StepPosition {
  seed: number;
  epoch: number;
  batch: number;
}

/**
 * One Adam step on a batch; returns `[loss, correct, sum of the updated weights]`, computed in the
 * same pass (the sum is NaN or infinite when some weight is, or when the weights blew up).
 */
function trainStep(
  model: LayersModel,
  optimizer: AdamOptimizer,
  dropout: DropoutSeeder,
  position: StepPosition,
  variables: Variable[],
  xs: Tensor,
  ys: Tensor,
): Tensor1D {
  dropout.seedStep(position.seed, position.epoch, position.batch);
  return tidy(() => {
    let correct: Scalar | undefined;
    const loss = optimizer.minimize(
      () => {
        const probabilities = model.apply(xs, { training: true }) as Tensor;
        // Kept past the gradient scope; it is off the loss's path, so it costs no gradient work.
        correct = keep(countCorrect(probabilities, ys));
        return meanCrossEntropy(probabilities, ys);
      },
      true,
      variables,
    ) as Scalar;
    const weightSum = addN(variables.map((variable) => sum(variable)));
    const stats = stack([loss, correct!, weightSum]) as Tensor1D;
    correct!.dispose();
    return stats;
  });
}

async function readStats(stats: Tensor1D): Promise<[number, number, number]> {
  const [loss, correct, weightSum] = await stats.data<'float32'>();
  stats.dispose();
  return [loss!, correct!, weightSum!];
}

/**
 * The same Adam step as `trainStep`, with the batch cut into one contiguous slice per thread: the
 * helper threads compute the gradients of theirs while this thread computes the first, then the
 * slices' mean gradients, weighted by their sizes, are exactly the batch's mean gradient (up to the
 * order of float additions) and the optimizer takes one step. Dropout masks are drawn per slice
 * (`DropoutSeeder.seedStep`'s shard), so they differ from one thread's, not in distribution.
 */
async function parallelTrainStep(
  model: LayersModel,
  optimizer: AdamOptimizer,
  dropout: DropoutSeeder,
  position: StepPosition,
  variables: Variable[],
  threads: GradientThreads,
  xs: Tensor,
  ys: Tensor,
): Promise<[number, number, number]> {
  const size = xs.shape[0]!;
  const slices = splitBatch(size, threads.count + 1);
  if (slices.length === 1)
    return readStats(trainStep(model, optimizer, dropout, position, variables, xs, ys));

  // The helpers start first, so their slices run while this thread computes its own.
  threads.publishWeights();
  const images = xs.dataSync() as Float32Array;
  const labels = ys.dataSync() as Float32Array;
  const pixels = images.length / size;
  const classes = labels.length / size;
  const remote = slices.slice(1).map(([start, end], index) =>
    threads.computeShard(index, {
      ...position,
      shard: index + 1,
      xs: images.slice(start * pixels, end * pixels),
      ys: labels.slice(start * classes, end * classes),
      size: end - start,
    }),
  );
  const theirs = Promise.all(remote);
  // Awaited below, after this thread's slice; a failure meanwhile must not count as unhandled.
  theirs.catch(() => undefined);

  const ownSize = slices[0]![1];
  dropout.seedStep(position.seed, position.epoch, position.batch);
  const ownXs = slice(xs, 0, ownSize);
  const ownYs = slice(ys, 0, ownSize);
  let own: SliceGradients;
  try {
    own = sliceGradients(model, variables, ownXs, ownYs);
  } finally {
    dispose([ownXs, ownYs]);
  }
  try {
    const results = await theirs;
    const weightSum = tidy(() => {
      const gradients: { name: string; tensor: Tensor }[] = [];
      variables.forEach((variable, i) => {
        let gradient = mul(own.grads[variable.name]!, ownSize / size);
        results.forEach((result, k) => {
          const [start, end] = slices[k + 1]!;
          const fromThread = tensor(result.gradients[i]!, variable.shape);
          gradient = add(gradient, mul(fromThread, (end - start) / size));
        });
        gradients.push({ name: variable.name, tensor: gradient });
      });
      optimizer.applyGradients(gradients);
      return addN(variables.map((variable) => sum(variable)));
    });
    let loss = (own.loss.dataSync()[0]! * ownSize) / size;
    let correct = own.correct.dataSync()[0]!;
    results.forEach((result, k) => {
      const [start, end] = slices[k + 1]!;
      loss += (result.loss * (end - start)) / size;
      correct += result.correct;
    });
    const total = (await weightSum.data())[0]!;
    weightSum.dispose();
    return [loss, correct, total];
  } finally {
    dispose([own.loss, own.correct, ...Object.values(own.grads)]);
  }
}

/** Cuts `size` rows into at most `parts` contiguous, non-empty `[start, end)` slices of near-equal size. */
function splitBatch(size: number, parts: number): [number, number][] {
  const count = Math.min(parts, size);
  return Array.from({ length: count }, (_, i) => [
    Math.floor((i * size) / count),
    Math.floor(((i + 1) * size) / count),
  ]);
}

/**
 * Mean loss and accuracy of `model` on `set`, in inference mode; with gradient threads, each
 * measures one contiguous part of the set with the current weights.
 */
async function measure(
  model: LayersModel,
  set: ImageSet,
  threads: GradientThreads | null,
): Promise<{ loss: number; accuracy: number }> {
  const parts =
    threads === null ? [[0, set.count] as [number, number]] : splitBatch(set.count, threads.count + 1);
  threads?.publishWeights();
  const pixels = set.rows * set.cols;
  const remote = parts.slice(1).map(([start, end], index) =>
    threads!.measure(index, {
      ...set,
      images: set.images.slice(start * pixels, end * pixels),
      labels: set.labels.slice(start, end),
      count: end - start,
    }),
  );
  const theirs = Promise.all(remote);
  // Awaited below, after this thread's part; a failure meanwhile must not count as unhandled.
  theirs.catch(() => undefined);
  const [ownStart, ownEnd] = parts[0]!;
  const own = await measureLossAndAccuracy(model, {
    ...set,
    images: set.images.subarray(ownStart * pixels, ownEnd * pixels),
    labels: set.labels.subarray(ownStart, ownEnd),
    count: ownEnd - ownStart,
  });
  let { lossSum, correct } = own;
  for (const part of await theirs) {
    lossSum += part.lossSum;
    correct += part.correct;
  }
  return { loss: lossSum / set.count, accuracy: correct / set.count };
}

function emptyProgress(): TrainingState['epochProgress'] {
  return { seen: 0, lossSum: 0, correct: 0, trainMs: 0, elapsedMs: 0 };
}

function yieldToEventLoop(): Promise<void> {
  // setImmediate where it exists (Node): a macrotask without the 4 ms clamp of nested setTimeout.
  const schedule = (globalThis as { setImmediate?: (callback: () => void) => unknown }).setImmediate;
  return new Promise((resolve) => (schedule ? schedule(resolve) : setTimeout(resolve, 0)));
}
