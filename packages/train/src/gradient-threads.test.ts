import { type ImageSet, normalizeImages, type TrainValidationSplit } from '@mnist/data';
import { loadMnist } from '@mnist/data/node';
import { createModel } from '@mnist/model';
import { memory, serialization, type Tensor } from '@tensorflow/tfjs-core';
import { layers, type LayersModel, sequential } from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { GradientThreadError } from './gradient-thread-error.js';
import { startGradientThreads } from './gradient-threads.js';
import { imageSubset } from './image-subset.js';
import { measureLossAndAccuracy } from './measure-loss-and-accuracy.js';
import { selectBackend } from '@mnist/runtime';
import { train } from './train.js';

// These tests start real worker threads from the built `dist/gradient-worker.js` (`pnpm test`
// builds first).
const TINY_MODEL = { convLayers: 1, filters: 4, kernelSize: 3, poolAfter: [0], denseUnits: 16 };
const SEED = 11;
let data: TrainValidationSplit;

beforeAll(async () => {
  const mnist = await loadMnist();
  const count = 300;
  const all = normalizeImages({
    ...mnist.train,
    images: mnist.train.images.subarray(0, count * 784),
    labels: mnist.train.labels.subarray(0, count),
    count,
  });
  const take = (start: number, end: number): ImageSet => ({
    ...all,
    images: all.images.slice(start * 784, end * 784),
    labels: all.labels.slice(start, end),
    count: end - start,
  });
  // 250 training images in batches of 32: seven full batches and a last one of 26.
  data = { train: take(0, 250), validation: take(250, 300) };
  await selectBackend('wasm');
}, 60_000);

async function trainWith(threads: number, dropout: number, epochs = 1) {
  const model = createModel({ ...TINY_MODEL, dropout }, { seed: SEED });
  const threadCounts: number[] = [];
  const measured: { loss: number; accuracy: number }[] = [];
  const result = await train({
    model,
    data,
    config: { epochs, batchSize: 32, seed: SEED, threads, earlyStopping: null },
    onEvent: (event) => {
      if (event.type === 'trainStart') threadCounts.push(event.threads ?? -1);
    },
    // The validation set again, measured across the threads after the epoch.
    afterEpoch: async (_record, _model, tools) => {
      measured.push(await tools.measure(data.validation));
    },
  });
  const weights = model.getWeights().map((weight: Tensor) => weight.dataSync() as Float32Array);
  return { model, result, weights, threadCounts, measured };
}

function maxAbsDifference(a: Float32Array[], b: Float32Array[]): number {
  let max = 0;
  a.forEach((values, i) => {
    values.forEach((value, j) => {
      max = Math.max(max, Math.abs(value - b[i]![j]!));
    });
  });
  return max;
}

describe('data-parallel training over gradient threads', { timeout: 120_000 }, () => {
  it('takes the same steps as one thread when there is no dropout (up to float rounding)', async () => {
    const one = await trainWith(1, 0);
    const three = await trainWith(3, 0);
    expect(one.threadCounts).toEqual([1]);
    expect(three.threadCounts).toEqual([3]);
    expect(three.result.threads).toBe(3);
    // Eight Adam steps move the weights by more than 1e-3; the slices only reorder float additions.
    expect(maxAbsDifference(one.weights, three.weights)).toBeLessThan(1e-5);
    const initial = createModel({ ...TINY_MODEL, dropout: 0 }, { seed: SEED });
    const start = initial.getWeights().map((weight: Tensor) => weight.dataSync() as Float32Array);
    expect(maxAbsDifference(one.weights, start)).toBeGreaterThan(1e-3);
    expect(one.measured).toHaveLength(1);
    expect(three.measured[0]!.accuracy).toBe(one.measured[0]!.accuracy);
    expect(three.measured[0]!.loss).toBeCloseTo(one.measured[0]!.loss, 5);
    const [first, second] = [one.result.history[0]!, three.result.history[0]!];
    expect(second.loss).toBeCloseTo(first.loss, 5);
    expect(second.accuracy).toBe(first.accuracy);
    expect(second.valLoss).toBeCloseTo(first.valLoss, 5);
    for (const model of [one.model, three.model, initial]) model.dispose();
  });

  it('repeats exactly with the same seed and thread count, dropout included, and leaks no tensor', async () => {
    const before = memory().numTensors;
    const a = await trainWith(2, 0.25, 2);
    const b = await trainWith(2, 0.25, 2);
    expect(maxAbsDifference(a.weights, b.weights)).toBe(0);
    expect(a.result.history.map((r) => r.loss)).toEqual(b.result.history.map((r) => r.loss));
    // The slices draw their own dropout masks: two threads do not retrace one thread's run.
    const one = await trainWith(1, 0.25, 2);
    expect(maxAbsDifference(a.weights, one.weights)).toBeGreaterThan(0);
    for (const run of [a, b, one]) run.model.dispose();
    expect(memory().numTensors).toBe(before);
  });

  it('keeps tensors flat on the thread over many steps, building each slice from the shared training set', async () => {
    const model = createModel(TINY_MODEL, { seed: SEED });
    const threads = await startGradientThreads(model, 'wasm', 1, data.train, 0);
    try {
      // The training set went over once, into shared memory, with its values unchanged.
      expect(threads.train.images.buffer).toBeInstanceOf(SharedArrayBuffer);
      expect(threads.train.images).toEqual(data.train.images);
      expect(threads.train.labels).toEqual(data.train.labels);
      const counts: number[] = [];
      const gradientSums: number[] = [];
      for (let step = 0; step < 12; step++) {
        threads.publishWeights();
        const result = await threads.computeShard(0, {
          indices: Uint32Array.from({ length: 8 }, (_, i) => (step * 29 + i * 7) % data.train.count),
          shard: 1,
          seed: SEED,
          epoch: 0,
          batch: step,
        });
        counts.push(result.numTensors);
        gradientSums.push(
          result.gradients.reduce((sum, g) => sum + g.reduce((a, b) => a + Math.abs(b), 0), 0),
        );
        expect(Number.isFinite(result.loss) && result.loss > 0).toBe(true);
        expect(result.correct).toBeGreaterThanOrEqual(0);
        expect(result.correct).toBeLessThanOrEqual(8);
      }
      // A measured set is shared once and then named by its id, however often it is measured.
      const shared = threads.share(data.validation);
      expect(threads.share(data.validation)).toBe(shared);
      expect(threads.share(data.train)).toBe(threads.train);
      for (let round = 0; round < 3; round++) {
        const measured = await threads.measure(0, shared, 0, data.validation.count);
        counts.push(measured.numTensors);
        expect(measured.correct).toBeGreaterThanOrEqual(0);
        expect(measured.lossSum / data.validation.count).toBeGreaterThan(0);
      }
      expect(new Set(counts.slice(1)).size).toBe(1);
      expect(counts[0]).toBe(counts.at(-1));
      expect(Math.min(...gradientSums)).toBeGreaterThan(0);
    } finally {
      await threads.terminate();
      model.dispose();
    }
  });

  it('measures a part of a shared set as this thread measures the same images', async () => {
    const model = createModel(TINY_MODEL, { seed: SEED });
    const threads = await startGradientThreads(model, 'wasm', 1, data.train, 0);
    try {
      threads.publishWeights();
      const remote = await threads.measure(0, threads.share(data.validation), 10, 40);
      const here = await measureLossAndAccuracy(model, imageSubset(data.validation, 10, 40));
      expect(remote.correct).toBe(here.correct);
      expect(remote.lossSum).toBe(here.lossSum);
    } finally {
      await threads.terminate();
      model.dispose();
    }
  });

  it('fails a step with a GradientThreadError naming the thread when the thread cannot build its slice', async () => {
    const model = createModel(TINY_MODEL, { seed: SEED });
    const threads = await startGradientThreads(model, 'wasm', 1, data.train, 0);
    try {
      threads.publishWeights();
      const request = {
        indices: Uint32Array.of(0, data.train.count),
        shard: 1,
        seed: SEED,
        epoch: 0,
        batch: 0,
      };
      const failure = threads.computeShard(0, request);
      await expect(failure).rejects.toThrow(GradientThreadError);
      await expect(failure).rejects.toThrow(
        new RegExp(`gradient thread 1 of 1: indices\\[1\\] is ${data.train.count}`),
      );
      // The thread is failed for good: the next request says so at once.
      await expect(threads.computeShard(0, { ...request, indices: Uint32Array.of(0) })).rejects.toThrow(
        GradientThreadError,
      );
    } finally {
      await threads.terminate();
      model.dispose();
    }
  });

  it('fails with a GradientThreadError naming the thread when its copy of the model cannot be built', async () => {
    // A layer class registered on this thread only: the helper thread cannot deserialize it.
    class MainThreadOnly extends layers.Layer {
      static className = 'MainThreadOnlyForTest';
      override call(inputs: Tensor | Tensor[]) {
        return inputs;
      }
    }
    serialization.registerClass(MainThreadOnly);
    const model: LayersModel = sequential({
      layers: [
        layers.flatten({ inputShape: [28, 28, 1] }),
        new MainThreadOnly({}),
        layers.dense({ units: 10, activation: 'softmax' }),
      ],
    });
    const failure = startGradientThreads(model, 'wasm', 1, data.train, 0);
    await expect(failure).rejects.toThrow(GradientThreadError);
    await expect(failure).rejects.toThrow(/gradient thread 1 of 1: .*MainThreadOnlyForTest/);
    model.dispose();
  });
});
