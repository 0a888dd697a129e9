import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { setKernelBuild } from './simd-kernels.js';
import {
  expectReductionMatchesCpu,
  kernelBuilds,
  maxRelativeError,
  prepareBackends,
  randomValues,
  type ReductionCase,
  runOn,
  useBuild,
} from './test-support.js';

beforeAll(prepareBackends);
afterAll(() => setKernelBuild('auto'));

// The batch-norm gradient's tiles ([1,1,1,C] to the activation's shape) and the general cases.
const tileCases: { shape: number[]; reps: number[] }[] = [
  { shape: [1, 1, 1, 32], reps: [8, 14, 14, 1] },
  { shape: [2, 3, 4], reps: [3, 1, 2] },
  { shape: [5], reps: [4] },
  { shape: [3, 1], reps: [1, 7] },
  { shape: [2, 2, 2, 3], reps: [1, 1, 1, 1] },
];

describe('tileConfig', () => {
  it.each(tileCases)('gives the cpu backend bits for shape $shape, reps $reps', async (c) => {
    const x = { values: randomValues(c.shape, 7), shape: c.shape };
    const before = tf.memory().numTensors;
    const expected = await runOn('cpu', [x], (t) => tf.tile(t, c.reps));
    const actual = await runOn('wasm', [x], (t) => tf.tile(t, c.reps));
    expect(actual.shape).toEqual(expected.shape);
    expect(Array.from(actual.values)).toEqual(Array.from(expected.values));
    expect(tf.memory().numTensors).toBe(before);
  });

  it('tiles int32 and bool', () => {
    const ints = tf.tidy(() => tf.tile(tf.tensor2d([1, 2, 3, 4], [2, 2], 'int32'), [2, 2]).arraySync());
    expect(ints).toEqual([
      [1, 2, 1, 2],
      [3, 4, 3, 4],
      [1, 2, 1, 2],
      [3, 4, 3, 4],
    ]);
    const bools = tf.tidy(() => tf.tile(tf.tensor1d([true, false], 'bool'), [2]).arraySync());
    expect(bools).toEqual([1, 0, 1, 0]);
  });
});

const meanCases: ReductionCase[] = [
  { shape: [8, 14, 14, 32], axis: [0, 1, 2], keepDims: true },
  { shape: [3, 5, 7, 16], axis: [0, 1, 2], keepDims: false },
  { shape: [700, 64], axis: 0, keepDims: false },
  // Stock: all axes, a non-leading axis, columns not a multiple of 4.
  { shape: [7, 8], axis: [0, 1], keepDims: false },
  { shape: [4, 6, 8], axis: 1, keepDims: false },
  { shape: [7, 5], axis: 0, keepDims: false },
];

describe.each(kernelBuilds)('meanConfig, %s build', (build) => {
  beforeEach(() => useBuild(build));

  it.each(meanCases)('matches cpu for shape $shape, axis $axis, keepDims $keepDims', (c) =>
    expectReductionMatchesCpu(tf.mean, c, 52),
  );
});

describe('fusedBatchNormConfig', () => {
  const shape = [4, 6, 6, 8];
  const params = (seed: number, shift: number) => ({
    values: randomValues([8], seed).map((v) => v + shift),
    shape: [8],
  });
  it.each([
    { name: 'all parameters', scale: true, offset: true },
    { name: 'no scale or offset', scale: false, offset: false },
  ])('matches cpu with $name', async (c) => {
    const x = { values: randomValues(shape, 61), shape };
    const mean = params(62, 0);
    const variance = params(63, 1.5);
    const scale = params(64, 1);
    const offset = params(65, 0);
    const norm = (xt: tf.Tensor, m: tf.Tensor, v: tf.Tensor, s: tf.Tensor, o: tf.Tensor) =>
      tf.batchNorm(xt, m, v, c.offset ? o : undefined, c.scale ? s : undefined, 1e-3);
    const before = tf.memory().numTensors;
    const expected = await runOn('cpu', [x, mean, variance, scale, offset], norm);
    const actual = await runOn('wasm', [x, mean, variance, scale, offset], norm);
    expect(actual.shape).toEqual(expected.shape);
    expect(maxRelativeError(actual.values, expected.values)).toBeLessThan(1e-6);
    expect(tf.memory().numTensors).toBe(before);
  });
});
