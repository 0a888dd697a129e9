import type {
  BackendName,
  EpochRecord,
  ImageSet,
  TrainingConfig,
  TrainingConfigInput,
  TrainingEvent,
  TrainValidationSplit,
} from '@mnist/core';
import { countBatches, iterateBatches } from '@mnist/data';
import {
  type AdamOptimizer,
  addN,
  dispose,
  keep,
  type Scalar,
  stack,
  sum,
  type Tensor,
  type Tensor1D,
  train as optimizers,
  tidy,
  type Variable,
} from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { captureAdamState, restoreAdamState } from './adam-state.js';
import { countCorrect, meanCrossEntropy, sampleCrossEntropy } from './batch-statistics.js';
import { checkTrainingState } from './check-training-state.js';
import { checkImageSet } from './check-image-set.js';
import { deriveSeed } from './derive-seed.js';
import { createDropoutSeeder } from './dropout-seeder.js';
import { forEachPrediction } from './for-each-prediction.js';
import { learningRateAt } from './learning-rate-at.js';
import { resolveTrainingConfig } from './resolve-training-config.js';
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
   * on data that training must not see, e.g. the test set, for a time-to-accuracy figure. Its time
   * counts in `TrainingResult.seconds` but in no epoch's `seconds`.
   */
  afterEpoch?: (record: EpochRecord, model: LayersModel) => Promise<void> | void;
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
  /** The config in effect, defaults filled in. */
  config: TrainingConfig;
}

// Inference batch for validation: larger than training batches (no gradients to keep) yet small
// enough that the first conv layer's activations stay around 25 MB.
const VALIDATION_BATCH_SIZE = 256;
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
  const hasValidation = data.validation.count > 0;
  const earlyStopping = config.earlyStopping;
  const minDelta = earlyStopping?.minDelta ?? 0;
  const keepBest = hasValidation && earlyStopping?.restoreBestWeights === true;

  emit({
    type: 'trainStart',
    backend,
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
      formatVersion: 1,
      seed,
      batchSize,
      trainSamples: data.train.count,
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

  try {
    if (resume !== undefined) {
      checkTrainingState(resume, {
        seed,
        batchSize,
        epochs,
        trainSamples: data.train.count,
        batchesPerEpoch,
        model,
      });
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
        let stats: Tensor1D;
        try {
          dropout.seedStep(seed, epoch, batchIndex);
          stats = trainStep(model, optimizer, variables, xs, ys);
        } finally {
          dispose([xs, ys]);
        }
        const [batchLoss, batchCorrect, weightSum] = await stats.data<'float32'>();
        stats.dispose();
        // Broken weights only get worse: stop here, the last checkpoint is the last good state.
        // The weights are checked too: the clipped loss and ReLU (on some backends) hide NaNs.
        if (!Number.isFinite(batchLoss) || !Number.isFinite(weightSum)) {
          throw new TrainingDivergedError(epoch, batchIndex, batchLoss!, Number.isFinite(weightSum));
        }
        trainMs += performance.now() - stepStart;
        seen += size;
        lossSum += batchLoss! * size;
        correct += batchCorrect!;
        emit({
          type: 'batchEnd',
          epoch,
          batch: batchIndex,
          batchesPerEpoch,
          loss: batchLoss!,
          accuracy: batchCorrect! / size,
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
        ? await measure(model, data.validation)
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
      await options.afterEpoch?.({ ...record }, model);
      await checkpoint(epoch + 1, 0, emptyProgress());
    }

    const lastEpoch = history.length - 1;
    if (!hasValidation) best.epoch = lastEpoch;
    if (keepBest && best.weights !== null && best.epoch !== lastEpoch) {
      model.setWeights(best.weights);
    }
  } finally {
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

/**
 * One Adam step on a batch; returns `[loss, correct, sum of the updated weights]`, computed in the
 * same pass (the sum is NaN or infinite when some weight is, or when the weights blew up).
 */
function trainStep(
  model: LayersModel,
  optimizer: AdamOptimizer,
  variables: Variable[],
  xs: Tensor,
  ys: Tensor,
): Tensor1D {
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

/** Mean loss and accuracy of `model` on `set`, in inference mode. */
async function measure(model: LayersModel, set: ImageSet): Promise<{ loss: number; accuracy: number }> {
  let lossSum = 0;
  let correct = 0;
  await forEachPrediction(
    model,
    set,
    VALIDATION_BATCH_SIZE,
    (probabilities, labels) =>
      stack([sum(sampleCrossEntropy(probabilities, labels)), countCorrect(probabilities, labels)]),
    async (_start, stats) => {
      const [batchLoss, batchCorrect] = await stats.data<'float32'>();
      lossSum += batchLoss!;
      correct += batchCorrect!;
    },
  );
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
