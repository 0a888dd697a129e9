import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { sumConfig } from './sum.js';
import { maxRelativeError, prepareBackends, randomValues, runOn } from './test-support.js';

beforeAll(prepareBackends);

// The first four take the matrix-product path (all axes but the last); the rest go to the stock kernel.
const cases: { shape: number[]; axis: number | number[] | null; keepDims: boolean }[] = [
  { shape: [64, 28, 28, 32], axis: [0, 1, 2], keepDims: false },
  { shape: [8, 7, 7, 64], axis: [2, 0, 1], keepDims: true },
  { shape: [64, 128], axis: 0, keepDims: false },
  { shape: [5, 3, 10], axis: [-3, -2], keepDims: false },
  { shape: [6, 5, 4, 3], axis: [0, 1], keepDims: false },
  { shape: [6, 5, 4, 3], axis: [1, 2, 3], keepDims: true },
  { shape: [64, 10], axis: -1, keepDims: false },
  { shape: [6, 5, 4], axis: null, keepDims: false },
  { shape: [9], axis: 0, keepDims: true },
];

describe('sumConfig', () => {
  it('is the registered wasm Sum', () => {
    expect(tf.getKernel('Sum', 'wasm')?.kernelFunc).toBe(sumConfig.kernelFunc);
  });

  it.each(cases)('matches cpu for shape $shape, axis $axis, keepDims $keepDims', async (c) => {
    const x = { values: randomValues(c.shape, 7), shape: c.shape };
    const reduce = (t: tf.Tensor) => tf.sum(t, c.axis ?? undefined, c.keepDims);
    const before = tf.memory().numTensors;
    const expected = await runOn('cpu', [x], reduce);
    const actual = await runOn('wasm', [x], reduce);
    expect(actual.shape).toEqual(expected.shape);
    expect(maxRelativeError(actual.values, expected.values)).toBeLessThan(1e-5);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('sums int32 tensors exactly through the stock kernel', async () => {
    const x = tf.tensor2d([1, 2, 3, 4, 5, 6], [3, 2], 'int32');
    const total = tf.sum(x, 0);
    expect(total.dtype).toBe('int32');
    expect(Array.from(await total.data())).toEqual([9, 12]);
    tf.dispose([x, total]);
  });

  it('gives the bias gradients of a conv layer that the cpu backend gives', async () => {
    const x = { values: randomValues([4, 6, 6, 3], 11), shape: [4, 6, 6, 3] };
    const bias = { values: randomValues([5], 12), shape: [5] };
    const filter = { values: randomValues([3, 3, 3, 5], 13), shape: [3, 3, 3, 5] };
    const biasGradient = (xt: tf.Tensor, bt: tf.Tensor, ft: tf.Tensor) =>
      tf.grad((b: tf.Tensor) =>
        tf.sum(tf.square(tf.add(tf.conv2d(xt as tf.Tensor4D, ft as tf.Tensor4D, 1, 'same'), b))),
      )(bt);
    const expected = await runOn('cpu', [x, bias, filter], biasGradient);
    const actual = await runOn('wasm', [x, bias, filter], biasGradient);
    expect(maxRelativeError(actual.values, expected.values)).toBeLessThan(1e-4);
  });
});
