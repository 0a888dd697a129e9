import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { setKernelBuild } from './simd-kernels.js';
import {
  expectReductionMatchesCpu,
  kernelBuilds,
  prepareBackends,
  type ReductionCase,
  useBuild,
} from './test-support.js';

beforeAll(prepareBackends);
afterAll(() => setKernelBuild('auto'));

// Ours: leading axes into rows of a multiple of 4 (32-wide groups, a 4-wide tail, several 256-row
// blocks); the others go to the stock kernel and must stay right too.
const cases: ReductionCase[] = [
  { shape: [3, 5, 7, 32], axis: [0, 1, 2], keepDims: false },
  { shape: [3, 5, 7, 32], axis: [2, 0, 1], keepDims: true },
  { shape: [700, 64], axis: 0, keepDims: false },
  { shape: [9, 40], axis: 0, keepDims: false },
  { shape: [6, 12], axis: [0], keepDims: false },
  { shape: [2, 3, 4, 8], axis: [0, 1], keepDims: false },
  { shape: [4, 6, 8], axis: 1, keepDims: false },
  { shape: [7, 5], axis: 0, keepDims: false },
  { shape: [7, 8], axis: [0, 1], keepDims: false },
];

describe.each(kernelBuilds)('sumConfig, %s build', (build) => {
  beforeEach(() => useBuild(build));

  it.each(cases)('matches cpu for shape $shape, axis $axis, keepDims $keepDims', (c) =>
    expectReductionMatchesCpu(tf.sum, c, 51),
  );

  it('sums int32 through the stock kernel', async () => {
    const sum = tf.tidy(() => tf.sum(tf.tensor2d([1, 2, 3, 4, 5, 6, 7, 8], [2, 4], 'int32'), 0).arraySync());
    expect(sum).toEqual([6, 8, 10, 12]);
  });
});
