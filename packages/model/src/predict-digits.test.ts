import { INFERENCE_BATCH_SIZE } from '@mnist/core';
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createModel } from './create-model.js';
import { ImageShapeError } from './image-shape-error.js';
import { predictDigits, predictDigitsSync } from './predict-digits.js';

let model: ReturnType<typeof createModel>;

beforeAll(async () => {
  await tf.setBackend('cpu');
  model = createModel(undefined, { seed: 1 });
});
afterAll(() => model.dispose());

function randomImages(shape: number[], seed: number): tf.Tensor {
  return tf.randomUniform(shape, 0, 1, 'float32', seed);
}

describe('predictDigits', () => {
  it('returns one prediction per image: the argmax digit and ten probabilities summing to 1', async () => {
    const images = randomImages([5, 28, 28, 1], 3);
    const predictions = await predictDigits(model, images);
    const expected = tf.tidy(() => model.predict(images) as tf.Tensor).arraySync() as number[][];
    expect(predictions).toHaveLength(5);
    predictions.forEach((prediction, i) => {
      expect(prediction.probabilities).toHaveLength(10);
      const sum = prediction.probabilities.reduce((a, b) => a + b, 0);
      expect(sum).toBeCloseTo(1, 5);
      for (const p of prediction.probabilities) expect(p).toBeGreaterThanOrEqual(0);
      expect(prediction.probabilities).toEqual(expected[i]!.map((p) => Math.fround(p)));
      expect(prediction.digit).toBe(expected[i]!.indexOf(Math.max(...expected[i]!)));
    });
    images.dispose();
  });

  it('accepts [n,28,28] and a single [28,28] image with the same results', async () => {
    const batch = randomImages([3, 28, 28, 1], 9);
    const squeezed = tf.reshape(batch, [3, 28, 28]);
    const single = tf.reshape(tf.slice(batch, [1, 0, 0, 0], [1, 28, 28, 1]), [28, 28]);
    const fromBatch = await predictDigits(model, batch);
    expect(await predictDigits(model, squeezed)).toEqual(fromBatch);
    expect(await predictDigits(model, single)).toEqual([fromBatch[1]]);
    expect(predictDigitsSync(model, batch)).toEqual(fromBatch);
    tf.dispose([batch, squeezed, single]);
  });

  it('runs the model INFERENCE_BATCH_SIZE images a call, with the same results as one image at a time', async () => {
    const count = INFERENCE_BATCH_SIZE + 3;
    const images = randomImages([count, 28, 28, 1], 11);
    const calls: (number | undefined)[] = [];
    const predict = model.predict.bind(model);
    const spy = vi.spyOn(model, 'predict').mockImplementation((x, args) => {
      calls.push(args?.batchSize);
      return predict(x, args);
    });
    let predictions: Awaited<ReturnType<typeof predictDigits>>;
    try {
      predictions = await predictDigits(model, images);
    } finally {
      spy.mockRestore();
    }
    expect(calls).toEqual([INFERENCE_BATCH_SIZE]);
    expect(predictions).toHaveLength(count);
    // Images on either side of the chunk boundary, each predicted on its own.
    for (const i of [0, INFERENCE_BATCH_SIZE - 1, INFERENCE_BATCH_SIZE, count - 1]) {
      const one = tf.tidy(() => tf.slice(images, [i, 0, 0, 0], [1, 28, 28, 1]));
      expect(await predictDigits(model, one)).toEqual([predictions[i]]);
      one.dispose();
    }
    images.dispose();
  });

  it('leaves no tensor behind and does not dispose the input', async () => {
    const images = randomImages([4, 28, 28, 1], 5);
    await predictDigits(model, images); // warm-up: the first call may cache kernels
    const before = tf.memory().numTensors;
    await predictDigits(model, images);
    predictDigitsSync(model, images);
    const squeezed = tf.reshape(images, [4, 28, 28]);
    await predictDigits(model, squeezed);
    expect(tf.memory().numTensors).toBe(before + 1); // only `squeezed`, made above
    expect(images.isDisposed).toBe(false);
    expect(squeezed.isDisposed).toBe(false);
    tf.dispose([images, squeezed]);
  });

  it('rejects other shapes with a message naming what it expects, without leaking', async () => {
    const before = tf.memory().numTensors;
    const cases: [number[], string][] = [
      [[28], '[28]'],
      [[2, 28, 27], '[2,28,27]'],
      [[2, 28, 28, 3], '[2,28,28,3]'],
      [[1, 1, 28, 28, 1], '[1,1,28,28,1]'],
    ];
    for (const [shape, shown] of cases) {
      const images = tf.zeros(shape);
      await expect(predictDigits(model, images)).rejects.toThrow(
        new ImageShapeError(
          `predictDigits expects images shaped [n,28,28,1], [n,28,28] or [28,28]; got ${shown}`,
        ),
      );
      images.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects a model that is not a 10-way classifier', async () => {
    const before = tf.memory().numTensors;
    const { sequential, layers } = await import('@tensorflow/tfjs-layers');
    const other = sequential({
      layers: [layers.flatten({ inputShape: [28, 28, 1] }), layers.dense({ units: 3 })],
    });
    const images = tf.zeros([2, 28, 28, 1]);
    await expect(predictDigits(other, images)).rejects.toThrow(
      'predictDigits needs a model with one output of 10 probabilities per image; this model returns shape [2,3]',
    );
    images.dispose();
    other.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
