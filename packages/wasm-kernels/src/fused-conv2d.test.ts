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

// The default model's layers (conv1 to conv3 with bias and ReLU, as tfjs-layers predicts) and a
// bias-free linear conv (before batch normalization); then cases ours hands to the stock kernel.
const cases: { x: number[]; filter: number[]; bias: boolean; activation: 'linear' | 'relu' | 'elu' }[] = [
  { x: [3, 28, 28, 1], filter: [3, 3, 1, 32], bias: true, activation: 'relu' },
  { x: [3, 14, 14, 32], filter: [3, 3, 32, 64], bias: true, activation: 'relu' },
  { x: [2, 7, 7, 64], filter: [3, 3, 64, 64], bias: false, activation: 'linear' },
  { x: [2, 9, 9, 8], filter: [3, 3, 8, 16], bias: true, activation: 'linear' },
  { x: [2, 9, 9, 8], filter: [3, 3, 8, 6], bias: true, activation: 'relu' },
  { x: [2, 9, 9, 8], filter: [3, 3, 8, 16], bias: true, activation: 'elu' },
];

describe.each(kernelBuilds)('fusedConv2DConfig, %s build', (build) => {
  beforeEach(() => useBuild(build));

  it.each(cases)('matches cpu for x $x, filter $filter, bias $bias, $activation', async (c) => {
    const x = { values: randomValues(c.x, 31), shape: c.x };
    const w = { values: randomValues(c.filter, 32), shape: c.filter };
    const channels = c.filter[3] as number;
    const b = { values: randomValues([channels], 33), shape: [channels] };
    const conv = (xt: tf.Tensor, wt: tf.Tensor, bt: tf.Tensor) =>
      tf.fused.conv2d({
        x: xt as tf.Tensor4D,
        filter: wt as tf.Tensor4D,
        strides: 1,
        pad: 'same',
        bias: c.bias ? bt : undefined,
        activation: c.activation,
      });
    const before = tf.memory().numTensors;
    const expected = await runOn('cpu', [x, w, b], conv);
    const actual = await runOn('wasm', [x, w, b], conv);
    expect(actual.shape).toEqual(expected.shape);
    expect(maxRelativeError(actual.values, expected.values)).toBeLessThan(1e-5);
    expect(tf.memory().numTensors).toBe(before);
  });
});
