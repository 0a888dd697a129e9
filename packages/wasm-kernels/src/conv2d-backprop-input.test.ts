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

describe.each(kernelBuilds)('conv2DBackpropInputConfig, %s build', (build) => {
  beforeEach(() => useBuild(build));

  it.each(convCases)('matches cpu for x $x, filter $filter, strides $strides, pad $pad', async (c) => {
    const x = { values: randomValues(c.x, 11), shape: c.x };
    const w = { values: randomValues(c.filter, 12), shape: c.filter };
    const outShape = tf.tidy(
      () =>
        tf.conv2d(tf.zeros(c.x) as tf.Tensor4D, tf.zeros(c.filter) as tf.Tensor4D, c.strides, c.pad).shape,
    );
    const dy = { values: randomValues(outShape, 13), shape: outShape };
    const gradX = (xt: tf.Tensor, wt: tf.Tensor, dyt: tf.Tensor) =>
      tf.grad((i: tf.Tensor) =>
        tf.sum(tf.mul(tf.conv2d(i as tf.Tensor4D, wt as tf.Tensor4D, c.strides, c.pad), dyt)),
      )(xt);

    const before = tf.memory().numTensors;
    const expected = await runOn('cpu', [x, w, dy], gradX);
    const actual = await runOn('wasm', [x, w, dy], gradX);
    expect(actual.shape).toEqual(c.x);
    expect(maxRelativeError(actual.values, expected.values)).toBeLessThan(1e-4);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('falls back to a correct direct loop for NCHW', async () => {
    const dyShape = [2, 4, 4, 3];
    const wShape = [3, 3, 3, 4];
    const dy = { values: randomValues(dyShape, 14), shape: dyShape };
    const w = { values: randomValues(wShape, 15), shape: wShape };
    const run = (dyt: tf.Tensor, wt: tf.Tensor) =>
      tf.engine().runKernel(
        'Conv2DBackpropInput',
        { dy: dyt, filter: wt },
        {
          strides: 2,
          pad: 'same',
          dataFormat: 'NCHW',
          inputShape: [2, 3, 7, 6],
        },
      ) as tf.Tensor;
    const expected = await runOn('cpu', [dy, w], run);
    const actual = await runOn('wasm', [dy, w], run);
    expect(actual.shape).toEqual([2, 3, 7, 6]);
    expect(maxRelativeError(actual.values, expected.values)).toBeLessThan(1e-4);
  });
});
