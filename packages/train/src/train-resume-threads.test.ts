import { type ImageSet, normalizeImages, type TrainValidationSplit } from '@mnist/data';
import { loadMnist } from '@mnist/data/node';
import { createModel } from '@mnist/model';
import { selectBackend } from '@mnist/runtime';
import { memory, type Tensor } from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { AUTO_MIN_TRAINING_IMAGES } from './resolve-thread-count.js';
import { train } from './train.js';
import type { TrainingState } from './training-state.js';
import type { EpochRecord, TrainingConfigInput } from './training-types.js';

// `threads: 'auto'` decides from the cores: pinned to 2 so the run below takes 2 threads on any
// machine (a 1-core machine would otherwise train everything on one and prove nothing).
vi.mock('./available-cores.js', () => ({ availableCores: async () => 2 }));

// Exact resume with an automatic thread count. The whole run (4 epochs of 5,000 images) is long
// enough for `auto` to start threads; the work left after a resume inside epoch 2 (3 epochs and a
// bit) is not. The run must still resume on the 2 threads it started with: another count draws
// other dropout masks and ends with other weights.
const TINY_MODEL = {
  convLayers: 1,
  filters: 4,
  kernelSize: 3,
  poolAfter: [0],
  dropout: 0.25,
  denseUnits: 16,
};
const SEED = 13;
const TRAIN = 5000;
const CONFIG: TrainingConfigInput = { batchSize: 32, seed: SEED, epochs: 4, threads: 'auto' };

let split: TrainValidationSplit;

function part(set: ImageSet, start: number, end: number): ImageSet {
  const pixels = set.rows * set.cols;
  return {
    ...set,
    images: set.images.slice(start * pixels, end * pixels),
    labels: set.labels.slice(start, end),
    count: end - start,
  };
}

beforeAll(async () => {
  const raw = (await loadMnist()).train;
  const count = TRAIN + 200;
  const first = normalizeImages({
    ...raw,
    images: raw.images.subarray(0, count * 784),
    labels: raw.labels.subarray(0, count),
    count,
  });
  split = { train: part(first, 0, TRAIN), validation: part(first, TRAIN, count) };
  await selectBackend('wasm');
}, 60_000);

function figures(history: EpochRecord[]) {
  return history.map(({ seconds: _s, samplesPerSecond: _r, ...rest }) => rest);
}

function weightValues(model: LayersModel): Float32Array[] {
  return model.getWeights().map((w: Tensor) => w.dataSync() as Float32Array);
}

describe("train with threads: 'auto'", { timeout: 240_000 }, () => {
  it('resumes on the thread count the run started with, to the weights of an uninterrupted run', async () => {
    const states: TrainingState[] = [];
    const whole = createModel(TINY_MODEL, { seed: SEED });
    const uninterrupted = await train({
      model: whole,
      data: split,
      config: CONFIG,
      checkpointEveryBatches: 80,
      onCheckpoint: (state) => void states.push(state),
    });
    // The premise: the whole run is long enough for 2 threads, the part left after epoch 1 is not.
    expect(TRAIN * 4).toBeGreaterThanOrEqual(AUTO_MIN_TRAINING_IMAGES);
    expect(TRAIN * 3).toBeLessThan(AUTO_MIN_TRAINING_IMAGES);
    expect(uninterrupted.threads).toBe(2);

    const midSecondEpoch = states.find((s) => s.epoch === 1 && s.batch === 80)!;
    expect(midSecondEpoch.threads).toBe(2);
    const before = memory().numTensors;
    const model = createModel(TINY_MODEL, { seed: SEED });
    const resumed = await train({ model, data: split, config: CONFIG, resumeFrom: midSecondEpoch });
    expect(resumed.threads).toBe(2);
    expect(figures(resumed.history)).toEqual(figures(uninterrupted.history));
    expect(weightValues(model)).toEqual(weightValues(whole));
    expect(memory().numTensors).toBe(before + model.weights.length);
    model.dispose();
    whole.dispose();
  });
});
