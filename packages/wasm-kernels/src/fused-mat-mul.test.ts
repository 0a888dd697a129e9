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

// The default model's dense layer at inference (batch 100), an odd-sized one with a transposed B,
// and one without a bias (16 rows or more: fewer go to the stock kernel).
const cases: { a: number[]; b: number[]; transposeB: boolean; bias: boolean }[] = [
  { a: [100, 576], b: [576, 192], transposeB: false, bias: true },
  { a: [17, 7], b: [6, 7], transposeB: true, bias: true },
  { a: [19, 33], b: [33, 12], transposeB: false, bias: false },
];

describe.each(kernelBuilds)('fusedMatMulConfig, %s build', (build) => {
  beforeEach(() => useBuild(build));

  const bits = (v: Float32Array) => Array.from(new Uint32Array(v.slice().buffer));

  it.each(cases)(
    'gives the bits of matMul, add and relu for a $a, b $b, transposeB $transposeB, bias $bias',
    async (c) => {
      const n = c.transposeB ? (c.b[0] as number) : (c.b[1] as number);
      const a = { values: randomValues(c.a, 51), shape: c.a };
      const b = { values: randomValues(c.b, 52), shape: c.b };
      const bias = { values: randomValues([n], 53), shape: [n] };
      const fused = (at: tf.Tensor, bt: tf.Tensor, biast: tf.Tensor) =>
        tf.fused.matMul({
          a: at as tf.Tensor2D,
          b: bt as tf.Tensor2D,
          transposeB: c.transposeB,
          bias: c.bias ? biast : undefined,
          activation: 'relu',
        });
      const threeKernels = (at: tf.Tensor, bt: tf.Tensor, biast: tf.Tensor) => {
        let y: tf.Tensor = tf.matMul(at as tf.Tensor2D, bt as tf.Tensor2D, false, c.transposeB);
        if (c.bias) y = tf.add(y, biast);
        return tf.relu(y);
      };
      const before = tf.memory().numTensors;
      const one = await runOn('wasm', [a, b, bias], fused);
      const three = await runOn('wasm', [a, b, bias], threeKernels);
      expect(one.shape).toEqual(three.shape);
      expect(bits(one.values)).toEqual(bits(three.values));
      expect(one.values.some((v) => v === 0)).toBe(true);
      const reference = await runOn('cpu', [a, b, bias], fused);
      expect(maxRelativeError(one.values, reference.values)).toBeLessThan(1e-5);
      expect(tf.memory().numTensors).toBe(before);
    },
  );

  // A single image (fewer than 16 rows) and a linear layer (the output layer).
  it.each([
    { a: [1, 576], b: [576, 192], activation: 'relu' as const },
    { a: [8, 16], b: [16, 10], activation: 'linear' as const },
  ])('computes the stock kernel’s cases as cpu does: a $a, b $b, $activation', async (c) => {
    const n = c.b[1] as number;
    const a = { values: randomValues(c.a, 57), shape: c.a };
    const b = { values: randomValues(c.b, 58), shape: c.b };
    const bias = { values: randomValues([n], 59), shape: [n] };
    const dense = (at: tf.Tensor, bt: tf.Tensor, biast: tf.Tensor) =>
      tf.fused.matMul({ a: at as tf.Tensor2D, b: bt as tf.Tensor2D, bias: biast, activation: c.activation });
    const actual = await runOn('wasm', [a, b, bias], dense);
    const expected = await runOn('cpu', [a, b, bias], dense);
    expect(maxRelativeError(actual.values, expected.values)).toBeLessThan(1e-5);
  });
});
