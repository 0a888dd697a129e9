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

/** A convolution case: shapes, whether it has a bias, and its activation. */
type FusedCase = { x: number[]; filter: number[]; bias: boolean; activation: 'linear' | 'relu' | 'elu' };

// The default model's layers (conv1 to conv3 with bias and ReLU, as tfjs-layers predicts) and a
// bias-free linear conv (before batch normalization); then cases ours hands to the stock kernel.
const cases: FusedCase[] = [
  { x: [3, 28, 28, 1], filter: [3, 3, 1, 32], bias: true, activation: 'relu' },
  { x: [3, 14, 14, 32], filter: [3, 3, 32, 64], bias: true, activation: 'relu' },
  { x: [2, 7, 7, 64], filter: [3, 3, 64, 64], bias: false, activation: 'linear' },
  { x: [2, 9, 9, 8], filter: [3, 3, 8, 16], bias: true, activation: 'linear' },
  { x: [2, 9, 9, 8], filter: [3, 3, 8, 6], bias: true, activation: 'relu' },
  { x: [2, 9, 9, 8], filter: [3, 3, 8, 16], bias: true, activation: 'elu' },
];

/** The case's x, filter and bias (one per output channel) from `seed` on. */
function operands(c: FusedCase, seed: number) {
  const channels = c.filter[3] as number;
  return [
    { values: randomValues(c.x, seed), shape: c.x },
    { values: randomValues(c.filter, seed + 1), shape: c.filter },
    { values: randomValues([channels], seed + 2), shape: [channels] },
  ];
}

/** The case's `tf.fused.conv2d` (stride 1, same padding) of x, filter and bias. */
const fusedConv = (c: FusedCase) => (xt: tf.Tensor, wt: tf.Tensor, bt: tf.Tensor) =>
  tf.fused.conv2d({
    x: xt as tf.Tensor4D,
    filter: wt as tf.Tensor4D,
    strides: 1,
    pad: 'same',
    bias: c.bias ? bt : undefined,
    activation: c.activation,
  });

describe.each(kernelBuilds)('fusedConv2DConfig, %s build', (build) => {
  beforeEach(() => useBuild(build));

  it.each(cases)('matches cpu for x $x, filter $filter, bias $bias, $activation', async (c) => {
    const inputs = operands(c, 31);
    const conv = fusedConv(c);
    const before = tf.memory().numTensors;
    const expected = await runOn('cpu', inputs, conv);
    const actual = await runOn('wasm', inputs, conv);
    expect(actual.shape).toEqual(expected.shape);
    expect(maxRelativeError(actual.values, expected.values)).toBeLessThan(1e-5);
    expect(tf.memory().numTensors).toBe(before);
  });
});

// The bias and ReLU happen in the kernels' stores (both together) or in passes (one alone): either
// way the bits of `Conv2D`, `Add` and `Relu` run one after the other. Shapes: the first layer's
// direct kernel, one k block, two k blocks (K = 288 > 256, the last one accumulating), edge tiles
// of rows (98 positions) and of columns (12 channels: a panel of 8 and one of 4).
const unfusedCases: FusedCase[] = [
  { x: [3, 28, 28, 1], filter: [3, 3, 1, 16], bias: true, activation: 'relu' },
  { x: [3, 14, 14, 16], filter: [3, 3, 16, 32], bias: true, activation: 'relu' },
  { x: [2, 7, 7, 32], filter: [3, 3, 32, 64], bias: true, activation: 'relu' },
  { x: [2, 7, 7, 8], filter: [3, 3, 8, 12], bias: true, activation: 'relu' },
  { x: [2, 7, 7, 8], filter: [3, 3, 8, 12], bias: true, activation: 'linear' },
  { x: [2, 7, 7, 8], filter: [3, 3, 8, 12], bias: false, activation: 'relu' },
  { x: [3, 28, 28, 1], filter: [3, 3, 1, 16], bias: true, activation: 'linear' },
  { x: [2, 5, 11, 1], filter: [3, 3, 1, 8], bias: true, activation: 'relu' },
];

describe.each(kernelBuilds)('fusedConv2DConfig against its three kernels, %s build', (build) => {
  beforeEach(() => useBuild(build));

  it.each(unfusedCases)(
    'gives the bits of conv, add, relu for x $x, filter $filter, bias $bias, $activation',
    async (c) => {
      // Biases of both signs: the ReLU clears part of the output.
      const inputs = operands(c, 41);
      const threeKernels = (xt: tf.Tensor, wt: tf.Tensor, bt: tf.Tensor) => {
        let y: tf.Tensor = tf.conv2d(xt as tf.Tensor4D, wt as tf.Tensor4D, 1, 'same');
        if (c.bias) y = tf.add(y, bt);
        return c.activation === 'relu' ? tf.relu(y) : y;
      };
      const before = tf.memory().numTensors;
      const one = await runOn('wasm', inputs, fusedConv(c));
      const three = await runOn('wasm', inputs, threeKernels);
      const bits = (v: Float32Array) => Array.from(new Uint32Array(v.slice().buffer));
      expect(bits(one.values)).toEqual(bits(three.values));
      if (c.activation === 'relu') expect(one.values.some((v) => v === 0)).toBe(true);
      expect(tf.memory().numTensors).toBe(before);
    },
  );
});
