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
import { countCorrect, meanCrossEntropy, sampleCrossEntropy } from './batch-statistics.js';
import { checkImageSet } from './check-image-set.js';
import { deriveSeed } from './derive-seed.js';
import { createDropoutSeeder } from './dropout-seeder.js';
import { forEachPrediction } from './for-each-prediction.js';
import { learningRateAt } from './learning-rate-at.js';
import { resolveTrainingConfig } from './resolve-training-config.js';
import { selectBackend } from './select-backend.js';

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
 * @throws {TrainingConfigError} for a bad config; {@link BackendUnavailableError} for an explicit
 *   backend that cannot load; {@link TrainingDataError} for data that does not fit the model.
 */
export async function train(options: TrainOptions): Promise<TrainingResult> {
  const startedAt = performance.now();
  const config = resolveTrainingConfig(options.config);
  const { model, data, onEvent, signal } = options;
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

  try {
    for (let epoch = 0; epoch < epochs && !aborted && !stoppedEarly; epoch++) {
      if (signal?.aborted) {
        aborted = true;
        break;
      }
      const epochStart = performance.now();
      const learningRate = learningRateAt(config.learningRateSchedule, config.learningRate, epoch, epochs);
      // Adam reads its (protected) learningRate at every step, so setting it takes effect at once.
      (optimizer as unknown as { learningRate: number }).learningRate = learningRate;
      let trainMs = 0;
      let seen = 0;
      let lossSum = 0;
      let correct = 0;
      let batchIndex = 0;
      const batches = iterateBatches(data.train, batchSize, {
        encoding: 'one-hot',
        shuffleSeed: deriveSeed(seed, epoch),
      });
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
        const [batchLoss, batchCorrect] = await stats.data<'float32'>();
        stats.dispose();
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
        if (performance.now() - lastYield >= YIELD_EVERY_MS) {
          await yieldToEventLoop();
          lastYield = performance.now();
        }
        if (signal?.aborted) {
          aborted = true;
          batches.return();
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

/** One Adam step on a batch; returns `[loss, correct]` of the batch, computed in the same pass. */
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
    const stats = stack([loss, correct!]) as Tensor1D;
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

function yieldToEventLoop(): Promise<void> {
  // setImmediate where it exists (Node): a macrotask without the 4 ms clamp of nested setTimeout.
  const schedule = (globalThis as { setImmediate?: (callback: () => void) => unknown }).setImmediate;
  return new Promise((resolve) => (schedule ? schedule(resolve) : setTimeout(resolve, 0)));
}
