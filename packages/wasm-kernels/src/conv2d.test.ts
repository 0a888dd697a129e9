import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { convCases } from './conv-cases.js';
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

describe.each(kernelBuilds)('conv2DConfig, %s build', (build) => {
  beforeEach(() => useBuild(build));

  it.each(convCases)('matches cpu for x $x, filter $filter, strides $strides, pad $pad', async (c) => {
    const x = { values: randomValues(c.x, 21), shape: c.x };
    const w = { values: randomValues(c.filter, 22), shape: c.filter };
    const conv = (xt: tf.Tensor, wt: tf.Tensor) =>
      tf.conv2d(xt as tf.Tensor4D, wt as tf.Tensor4D, c.strides, c.pad);
    const before = tf.memory().numTensors;
    const expected = await runOn('cpu', [x, w], conv);
    const actual = await runOn('wasm', [x, w], conv);
    expect(actual.shape).toEqual(expected.shape);
    expect(maxRelativeError(actual.values, expected.values)).toBeLessThan(1e-5);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('leaves dilated convolutions to the stock kernel, correctly', async () => {
    const x = { values: randomValues([2, 9, 9, 3], 23), shape: [2, 9, 9, 3] };
    const w = { values: randomValues([3, 3, 3, 4], 24), shape: [3, 3, 3, 4] };
    const conv = (xt: tf.Tensor, wt: tf.Tensor) =>
      tf.conv2d(xt as tf.Tensor4D, wt as tf.Tensor4D, 1, 'same', 'NHWC', 2);
    const expected = await runOn('cpu', [x, w], conv);
    const actual = await runOn('wasm', [x, w], conv);
    expect(maxRelativeError(actual.values, expected.values)).toBeLessThan(1e-5);
  });
});
