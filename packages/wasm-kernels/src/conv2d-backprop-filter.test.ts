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

describe.each(kernelBuilds)('conv2DBackpropFilterConfig, %s build', (build) => {
  beforeEach(() => useBuild(build));

  it.each(convCases)('matches cpu for x $x, filter $filter, strides $strides, pad $pad', async (c) => {
    const x = { values: randomValues(c.x, 1), shape: c.x };
    const w = { values: randomValues(c.filter, 2), shape: c.filter };
    const outShape = tf.tidy(
      () =>
        tf.conv2d(tf.zeros(c.x) as tf.Tensor4D, tf.zeros(c.filter) as tf.Tensor4D, c.strides, c.pad).shape,
    );
    const dy = { values: randomValues(outShape, 3), shape: outShape };
    const gradW = (xt: tf.Tensor, wt: tf.Tensor, dyt: tf.Tensor) =>
      tf.grad((f: tf.Tensor) =>
        tf.sum(tf.mul(tf.conv2d(xt as tf.Tensor4D, f as tf.Tensor4D, c.strides, c.pad), dyt)),
      )(wt);

    const before = tf.memory().numTensors;
    const expected = await runOn('cpu', [x, w, dy], gradW);
    const actual = await runOn('wasm', [x, w, dy], gradW);
    expect(actual.shape).toEqual(c.filter);
    expect(maxRelativeError(actual.values, expected.values)).toBeLessThan(1e-4);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('falls back to a correct direct loop for NCHW', async () => {
    const xShape = [2, 3, 7, 6];
    const dyShape = [2, 4, 4, 3];
    const x = { values: randomValues(xShape, 4), shape: xShape };
    const dy = { values: randomValues(dyShape, 5), shape: dyShape };
    const run = (xt: tf.Tensor, dyt: tf.Tensor) =>
      tf.engine().runKernel(
        'Conv2DBackpropFilter',
        { x: xt, dy: dyt },
        {
          strides: 2,
          pad: 'same',
          dataFormat: 'NCHW',
          filterShape: [3, 3, 3, 4],
        },
      ) as tf.Tensor;
    const expected = await runOn('cpu', [x, dy], run);
    const actual = await runOn('wasm', [x, dy], run);
    expect(actual.shape).toEqual([3, 3, 3, 4]);
    expect(maxRelativeError(actual.values, expected.values)).toBeLessThan(1e-4);
  });
});
