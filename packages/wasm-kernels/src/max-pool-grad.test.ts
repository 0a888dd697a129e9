import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { setKernelBuild } from './simd-kernels.js';
import {
  kernelBuilds,
  maxRelativeError,
  prepareBackends,
  randomValues,
  runOn,
  useBuild,
} from './test-support.js';

beforeAll(prepareBackends);
afterAll(() => setKernelBuild('auto'));

const poolCases: {
  x: [number, number, number, number];
  size: number | [number, number];
  strides: number | [number, number];
  pad: 'valid' | 'same';
}[] = [
  { x: [2, 28, 28, 32], size: 2, strides: 2, pad: 'valid' },
  { x: [2, 14, 14, 64], size: 2, strides: 2, pad: 'same' },
  { x: [2, 7, 9, 8], size: 2, strides: 2, pad: 'valid' },
  { x: [2, 8, 8, 1], size: 2, strides: 2, pad: 'valid' },
  { x: [2, 9, 7, 3], size: 2, strides: 2, pad: 'valid' },
  { x: [2, 9, 7, 3], size: 2, strides: 2, pad: 'same' },
  { x: [3, 11, 10, 8], size: 3, strides: 2, pad: 'same' },
  { x: [1, 7, 7, 16], size: 3, strides: 1, pad: 'same' },
  { x: [2, 12, 12, 16], size: 3, strides: 2, pad: 'valid' },
  { x: [2, 10, 9, 5], size: [2, 3], strides: [1, 2], pad: 'same' },
];

describe.each(kernelBuilds)('maxPoolGradConfig, %s build', (build) => {
  beforeEach(() => useBuild(build));

  it.each(poolCases)('matches cpu for x $x, size $size, strides $strides, pad $pad', async (c) => {
    const x = { values: randomValues(c.x, 21), shape: c.x };
    const outShape = tf.tidy(() => tf.maxPool(tf.zeros(c.x) as tf.Tensor4D, c.size, c.strides, c.pad).shape);
    const dy = { values: randomValues(outShape, 22), shape: outShape };
    const gradX = (xt: tf.Tensor, dyt: tf.Tensor) =>
      tf.grad((i: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(i as tf.Tensor4D, c.size, c.strides, c.pad), dyt)))(
        xt,
      );

    const before = tf.memory().numTensors;
    const expected = await runOn('cpu', [x, dy], gradX);
    const actual = await runOn('wasm', [x, dy], gradX);
    expect(actual.shape).toEqual(c.x);
    expect(maxRelativeError(actual.values, expected.values)).toBeLessThan(1e-4);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('sends the gradient to the first maximum of a window with ties, as cpu does', async () => {
    // 4 channels: the SIMD path; ties everywhere, and one window holding a NaN before its maximum.
    const xShape = [1, 4, 4, 4];
    const values = new Float32Array(64).fill(0.5);
    values[0] = Number.NaN;
    values[4] = 0.75;
    const x = { values, shape: xShape };
    const dyShape = [1, 2, 2, 4];
    const dy = { values: Float32Array.from({ length: 16 }, (_, i) => i + 1), shape: dyShape };
    const gradX = (xt: tf.Tensor, dyt: tf.Tensor) =>
      tf.grad((i: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(i as tf.Tensor4D, 2, 2, 'valid'), dyt)))(xt);
    const expected = await runOn('cpu', [x, dy], gradX);
    const actual = await runOn('wasm', [x, dy], gradX);
    expect(Array.from(actual.values)).toEqual(Array.from(expected.values));
  });
});

describe.each(kernelBuilds)('maxPoolConfig, %s build', (build) => {
  beforeEach(() => useBuild(build));

  it.each(poolCases)('matches cpu for x $x, size $size, strides $strides, pad $pad', async (c) => {
    const x = { values: randomValues(c.x, 23), shape: c.x };
    const pool = (xt: tf.Tensor) => tf.maxPool(xt as tf.Tensor4D, c.size, c.strides, c.pad);
    const before = tf.memory().numTensors;
    const expected = await runOn('cpu', [x], pool);
    const actual = await runOn('wasm', [x], pool);
    expect(actual.shape).toEqual(expected.shape);
    // A maximum is exact: the same values, bit for bit.
    expect(Array.from(actual.values)).toEqual(Array.from(expected.values));
    expect(tf.memory().numTensors).toBe(before);
  });
});
