// Shared by the training tests only (not exported from index.ts): a tiny model, a small split of the
// first MNIST training images, and one harness that trains, checkpoints, stops and resumes a run.
import { normalizeImages, type TrainValidationSplit } from '@mnist/data';
import { loadMnist } from '@mnist/data/node';
import { createModel } from '@mnist/model';
import { selectBackend } from '@mnist/runtime';
import type { Tensor } from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { GradientThreadHost } from './gradient-thread-host.js';
import { imageSubset } from './image-subset.js';
import { type TrainingResult, train } from './train.js';
import type { TrainingState } from './training-state.js';
import type { EpochRecord, TrainingConfigInput } from './training-types.js';

/** One conv layer of 4 3x3 filters, pooled, with dropout and 16 dense units: an epoch takes a second. */
export const TINY_MODEL = {
  convLayers: 1,
  filters: 4,
  kernelSize: 3,
  poolAfter: [0],
  dropout: 0.25,
  denseUnits: 16,
};

/**
 * The first `trainCount` MNIST training images (normalized) for training and the next
 * `validationCount` for validation; also selects the wasm backend the tests train on.
 */
export async function loadTinySplit(
  trainCount: number,
  validationCount: number,
): Promise<TrainValidationSplit> {
  const raw = (await loadMnist()).train;
  const count = trainCount + validationCount;
  const first = normalizeImages({
    ...raw,
    images: raw.images.subarray(0, count * raw.rows * raw.cols),
    labels: raw.labels.subarray(0, count),
    count,
  });
  await selectBackend('wasm');
  return { train: imageSubset(first, 0, trainCount), validation: imageSubset(first, trainCount, count) };
}

/** The history without its timings, which differ from run to run. */
export function figures(history: EpochRecord[]) {
  return history.map(({ seconds: _s, samplesPerSecond: _r, ...rest }) => rest);
}

/** The model's weights as arrays, in `getWeights()` order. */
export function weightValues(model: LayersModel): Float32Array[] {
  return model.getWeights().map((w: Tensor) => w.dataSync() as Float32Array);
}

/** How `trainTiny` varies a run. */
export interface TinyRunOptions {
  /** Overrides of the base config. */
  config?: TrainingConfigInput;
  resumeFrom?: TrainingState;
  /** `checkpointEveryBatches`. */
  every?: number;
  /** Receives every checkpoint's state. */
  states?: TrainingState[];
  /** Aborts the run once the batch `batch` of epoch `epoch` has ended. */
  abortAt?: { epoch: number; batch: number; controller: AbortController };
  /** The model's dropout rate instead of `TINY_MODEL`'s. */
  dropout?: number;
  /** Starts the gradient threads instead of Node's default host. */
  threadHost?: GradientThreadHost;
}

/**
 * Trains a fresh `TINY_MODEL` on `data` with `config` and the overrides in `options`, and returns
 * the model (the caller disposes it) and the result. The initial weights always come from
 * `config.seed`, so a run whose `options.config` sets another seed differs only in training.
 */
export async function trainTiny(
  data: TrainValidationSplit,
  config: TrainingConfigInput & { seed: number },
  options: TinyRunOptions = {},
): Promise<{ model: LayersModel; result: TrainingResult }> {
  const model = createModel(
    { ...TINY_MODEL, dropout: options.dropout ?? TINY_MODEL.dropout },
    { seed: config.seed },
  );
  const at = options.abortAt;
  const result = await train({
    model,
    data,
    config: { ...config, ...options.config },
    ...(options.resumeFrom ? { resumeFrom: options.resumeFrom } : {}),
    ...(options.every ? { checkpointEveryBatches: options.every } : {}),
    ...(options.threadHost ? { threadHost: options.threadHost } : {}),
    ...(options.states ? { onCheckpoint: (state: TrainingState) => void options.states!.push(state) } : {}),
    ...(at
      ? {
          signal: at.controller.signal,
          onEvent: (event) => {
            if (event.type === 'batchEnd' && event.epoch === at.epoch && event.batch === at.batch) {
              at.controller.abort();
            }
          },
        }
      : {}),
  });
  return { model, result };
}
