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

const cases: { a: number[]; b: number[]; transposeA: boolean; transposeB: boolean }[] = [
  { a: [5, 7], b: [7, 3], transposeA: false, transposeB: false },
  { a: [7, 5], b: [7, 3], transposeA: true, transposeB: false },
  { a: [5, 7], b: [3, 7], transposeA: false, transposeB: true },
  { a: [7, 5], b: [3, 7], transposeA: true, transposeB: true },
  { a: [64, 300], b: [64, 33], transposeA: true, transposeB: false },
  { a: [3, 40, 37], b: [3, 37, 9], transposeA: false, transposeB: false },
  { a: [3, 37, 40], b: [3, 9, 37], transposeA: true, transposeB: true },
  { a: [1, 5, 7], b: [3, 4, 7], transposeA: false, transposeB: true },
  { a: [2, 2, 7, 5], b: [2, 2, 7, 3], transposeA: true, transposeB: false },
  // Last panels of 1 to 7 columns: 4 or fewer take the narrow k loop, B packed lane by lane.
  { a: [9, 11], b: [11, 1], transposeA: false, transposeB: false },
  { a: [13, 9], b: [9, 6], transposeA: false, transposeB: false },
  { a: [19, 14], b: [19, 15], transposeA: true, transposeB: false },
  // The default model's output layer: forward, dW = x^T·dy, dx = dy·W^T.
  { a: [64, 192], b: [192, 10], transposeA: false, transposeB: false },
  { a: [64, 192], b: [64, 10], transposeA: true, transposeB: false },
  { a: [64, 10], b: [192, 10], transposeA: false, transposeB: true },
  // The default model's dense layer: forward, dW = x^T·dy, dx = dy·W^T.
  { a: [16, 3136], b: [3136, 128], transposeA: false, transposeB: false },
  { a: [16, 3136], b: [16, 128], transposeA: true, transposeB: false },
  { a: [16, 128], b: [3136, 128], transposeA: false, transposeB: true },
];

describe.each(kernelBuilds)('batchMatMulConfig, %s build', (build) => {
  beforeEach(() => useBuild(build));

  it.each(cases)('matches cpu for a $a, b $b, transposeA $transposeA, transposeB $transposeB', async (c) => {
    const a = { values: randomValues(c.a, 41), shape: c.a };
    const b = { values: randomValues(c.b, 42), shape: c.b };
    const product = (at: tf.Tensor, bt: tf.Tensor) => tf.matMul(at, bt, c.transposeA, c.transposeB);
    const before = tf.memory().numTensors;
    const expected = await runOn('cpu', [a, b], product);
    const actual = await runOn('wasm', [a, b], product);
    expect(actual.shape).toEqual(expected.shape);
    expect(maxRelativeError(actual.values, expected.values)).toBeLessThan(1e-4);
    expect(tf.memory().numTensors).toBe(before);
  });
});
