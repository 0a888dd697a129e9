import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { setKernelBuild } from './simd-kernels.js';
import {
  expectReductionMatchesCpu,
  kernelBuilds,
  prepareBackends,
  randomValues,
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
  { shape: [2, 28, 28, 16], axis: [0, 1, 2], keepDims: false },
  { shape: [600, 52], axis: 0, keepDims: false },
];

/**
 * The column sums in the order training has always used (the shipped weights are reproduced byte
 * for byte): each column adds its rows in order within blocks of 256 rows, then the block sums.
 */
function blockedColumnSums(values: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(cols);
  for (let c = 0; c < cols; c++) {
    let total = 0;
    for (let r0 = 0; r0 < rows; r0 += 256) {
      let block = 0;
      for (let r = r0; r < Math.min(r0 + 256, rows); r++) block = Math.fround(block + values[r * cols + c]!);
      total = Math.fround(total + block);
    }
    out[c] = total;
  }
  return out;
}

/** Values of many magnitudes, so that another order of additions gives other bits. */
function spreadValues(count: number, seed: number): Float32Array {
  const unit = randomValues([count], seed);
  return unit.map((u, i) => u * 10 ** ((i * 7) % 6));
}

describe.each(kernelBuilds)('sumConfig, %s build', (build) => {
  beforeEach(() => useBuild(build));

  it.each(cases)('matches cpu for shape $shape, axis $axis, keepDims $keepDims', (c) =>
    expectReductionMatchesCpu(tf.sum, c, 51),
  );

  // 32-, 16- and 4-column groups, alone and together, over several 256-row blocks and a short one.
  it.each([
    [600, 16],
    [600, 52],
    [513, 4],
    [300, 32],
  ])('adds every column in the same order whatever its group, rows x cols %i x %i', (rows, cols) => {
    const values = spreadValues(rows * cols, rows + cols);
    const expected = blockedColumnSums(values, rows, cols);
    // The data must tell orders apart, or the check below would pass for any order.
    const reversed = blockedColumnSums(values.slice().reverse(), rows, cols).reverse();
    expect(Array.from(reversed)).not.toEqual(Array.from(expected));
    const got = tf.tidy(() => tf.sum(tf.tensor2d(values, [rows, cols]), 0).dataSync());
    expect(Array.from(got)).toEqual(Array.from(expected));
  });

  it('sums int32 through the stock kernel', async () => {
    const sum = tf.tidy(() => tf.sum(tf.tensor2d([1, 2, 3, 4, 5, 6, 7, 8], [2, 4], 'int32'), 0).arraySync());
    expect(sum).toEqual([6, 8, 10, 12]);
  });
});
