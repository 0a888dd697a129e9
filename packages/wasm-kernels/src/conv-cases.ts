// Convolution shapes the gradient tests sweep (tests only): strides 1 and 2, 'valid', 'same' and
// explicit padding, odd sizes, 1..64 channels (the model's 1-32-64 layers among them, and channel
// counts off the kernels' vector widths of 4 and 8). Also the one runner both gradient tests use, so
// the filter and input gradients are checked the same way.
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';
import { maxRelativeError, randomValues, runOn } from './test-support.js';

/** One forward convolution whose gradients the tests check. */
export interface ConvCase {
  x: [number, number, number, number];
  filter: [number, number, number, number];
  strides: number | [number, number];
  pad: 'valid' | 'same' | tf.backend_util.ExplicitPadding;
}

/** The sweep. */
export const convCases: ConvCase[] = [
  { x: [2, 28, 28, 1], filter: [3, 3, 1, 32], strides: 1, pad: 'same' },
  { x: [2, 14, 14, 32], filter: [3, 3, 32, 64], strides: 1, pad: 'same' },
  { x: [3, 7, 7, 64], filter: [3, 3, 64, 64], strides: 1, pad: 'same' },
  { x: [2, 9, 11, 24], filter: [3, 3, 24, 40], strides: 2, pad: 'same' },
  { x: [2, 9, 9, 5], filter: [3, 3, 5, 7], strides: 1, pad: 'same' },
  { x: [1, 6, 13, 36], filter: [3, 3, 36, 13], strides: 1, pad: 'valid' },
  { x: [2, 5, 5, 64], filter: [1, 1, 64, 3], strides: 1, pad: 'valid' },
  { x: [2, 9, 9, 1], filter: [3, 3, 1, 8], strides: 1, pad: 'valid' },
  { x: [2, 9, 9, 1], filter: [3, 3, 1, 8], strides: 1, pad: 'same' },
  // The first layer's direct kernel at row ends of 1 to 5 pixels (tiles of 6, the last of 4).
  { x: [2, 5, 11, 1], filter: [3, 3, 1, 16], strides: 1, pad: 'same' },
  { x: [2, 5, 8, 1], filter: [3, 3, 1, 8], strides: 1, pad: 'same' },
  { x: [1, 4, 12, 1], filter: [3, 3, 1, 8], strides: 1, pad: 'same' },
  { x: [3, 7, 11, 3], filter: [3, 3, 3, 16], strides: 2, pad: 'valid' },
  { x: [3, 7, 11, 3], filter: [3, 3, 3, 16], strides: 2, pad: 'same' },
  { x: [2, 10, 10, 8], filter: [5, 5, 8, 3], strides: 2, pad: 'same' },
  { x: [2, 10, 9, 8], filter: [3, 3, 8, 16], strides: 2, pad: 'valid' },
  { x: [1, 8, 8, 16], filter: [3, 3, 16, 16], strides: 1, pad: 'same' },
  { x: [4, 13, 13, 16], filter: [3, 3, 16, 8], strides: 1, pad: 'valid' },
  { x: [2, 6, 5, 8], filter: [2, 2, 8, 1], strides: 2, pad: 'valid' },
  { x: [2, 6, 7, 3], filter: [2, 2, 3, 5], strides: 1, pad: 'same' },
  { x: [2, 9, 8, 3], filter: [3, 3, 3, 4], strides: [1, 2], pad: 'same' },
  {
    x: [2, 8, 8, 3],
    filter: [3, 3, 3, 4],
    strides: 1,
    pad: [
      [0, 0],
      [1, 2],
      [2, 0],
      [0, 0],
    ],
  },
  {
    x: [2, 8, 8, 3],
    filter: [3, 3, 3, 4],
    strides: 2,
    pad: [
      [0, 0],
      [3, 0],
      [0, 4],
      [0, 0],
    ],
  },
];

/** The operand of a convolution a gradient test differentiates with respect to. */
export type ConvGradientOperand = 'x' | 'filter';

/**
 * Checks, for one case, the wasm gradient of `sum(conv2d(x, filter) * dy)` with respect to `operand`
 * against the cpu backend: the gradient has the operand's shape, its largest relative error is below
 * 1e-4 and no tensor is left behind. `seeds` seed the values of x, filter and dy, in that order.
 */
export async function expectConvGradientMatchesCpu(
  c: ConvCase,
  operand: ConvGradientOperand,
  seeds: readonly [number, number, number],
): Promise<void> {
  const x = { values: randomValues(c.x, seeds[0]), shape: c.x };
  const w = { values: randomValues(c.filter, seeds[1]), shape: c.filter };
  const outShape = tf.tidy(
    () => tf.conv2d(tf.zeros(c.x) as tf.Tensor4D, tf.zeros(c.filter) as tf.Tensor4D, c.strides, c.pad).shape,
  );
  const dy = { values: randomValues(outShape, seeds[2]), shape: outShape };
  const gradient = (xt: tf.Tensor, wt: tf.Tensor, dyt: tf.Tensor) => {
    const loss = (xv: tf.Tensor, wv: tf.Tensor) =>
      tf.sum(tf.mul(tf.conv2d(xv as tf.Tensor4D, wv as tf.Tensor4D, c.strides, c.pad), dyt));
    return operand === 'x'
      ? tf.grad((i: tf.Tensor) => loss(i, wt))(xt)
      : tf.grad((f: tf.Tensor) => loss(xt, f))(wt);
  };

  const before = tf.memory().numTensors;
  const expected = await runOn('cpu', [x, w, dy], gradient);
  const actual = await runOn('wasm', [x, w, dy], gradient);
  expect(actual.shape).toEqual(operand === 'x' ? c.x : c.filter);
  expect(maxRelativeError(actual.values, expected.values)).toBeLessThan(1e-4);
  expect(tf.memory().numTensors).toBe(before);
}

/** The NCHW shapes of the gradient kernels' direct-loop fallback: stride 2, 'same' padding. */
const nchwShapes: Record<'x' | 'filter' | 'dy', number[]> = {
  x: [2, 3, 7, 6],
  filter: [3, 3, 3, 4],
  dy: [2, 4, 4, 3],
};

/**
 * Checks, for NCHW data (which the GEMM path does not take), that `kernelName` on wasm falls back to
 * a loop that matches cpu: the result has the shape of the gradient's operand (the filter or x) and
 * its largest relative error is below 1e-4. `inputs` names each kernel input with the seed of its values.
 */
export async function expectNchwGradientMatchesCpu(
  kernelName: 'Conv2DBackpropFilter' | 'Conv2DBackpropInput',
  inputs: readonly { name: 'x' | 'filter' | 'dy'; seed: number }[],
): Promise<void> {
  const arrays = inputs.map((i) => ({
    values: randomValues(nchwShapes[i.name], i.seed),
    shape: nchwShapes[i.name],
  }));
  const outShape = kernelName === 'Conv2DBackpropFilter' ? nchwShapes.filter : nchwShapes.x;
  const attrs: tf.NamedAttrMap = { strides: 2, pad: 'same', dataFormat: 'NCHW' };
  attrs[kernelName === 'Conv2DBackpropFilter' ? 'filterShape' : 'inputShape'] = outShape;
  const run = (...tensors: tf.Tensor[]) => {
    const named = Object.fromEntries(inputs.map((i, k) => [i.name, tensors[k] as tf.Tensor]));
    return tf.engine().runKernel(kernelName, named, attrs) as tf.Tensor;
  };
  const expected = await runOn('cpu', arrays, run);
  const actual = await runOn('wasm', arrays, run);
  expect(actual.shape).toEqual(outShape);
  expect(maxRelativeError(actual.values, expected.values)).toBeLessThan(1e-4);
}
