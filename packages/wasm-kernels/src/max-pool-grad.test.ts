import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { maxRelativeError, prepareBackends, randomValues, runOn } from './test-support.js';

beforeAll(prepareBackends);

const poolCases: {
  x: [number, number, number, number];
  size: number | [number, number];
  strides: number | [number, number];
  pad: 'valid' | 'same';
}[] = [
  { x: [2, 8, 8, 1], size: 2, strides: 2, pad: 'valid' },
  { x: [2, 9, 7, 3], size: 2, strides: 2, pad: 'valid' },
  { x: [2, 9, 7, 3], size: 2, strides: 2, pad: 'same' },
  { x: [3, 11, 10, 8], size: 3, strides: 2, pad: 'same' },
  { x: [1, 7, 7, 16], size: 3, strides: 1, pad: 'same' },
  { x: [2, 12, 12, 16], size: 3, strides: 2, pad: 'valid' },
  { x: [2, 10, 9, 5], size: [2, 3], strides: [1, 2], pad: 'same' },
];

describe('maxPoolGradConfig', () => {
  it.each(poolCases)('matches cpu for x $x, size $size, strides $strides, pad $pad', async (c) => {
    const x = { values: randomValues(c.x, 21), shape: c.x };
    const outShape = tf.tidy(() => tf.maxPool(tf.zeros(c.x) as tf.Tensor4D, c.size, c.strides, c.pad).shape);
    const dy = { values: randomValues(outShape, 22), shape: outShape };
    const gradX = (xt: tf.Tensor, dyt: tf.Tensor) =>
      tf.grad((i: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(i as tf.Tensor4D, c.size, c.strides, c.pad), dyt)))(
        xt,
      );

    const before = tf.memory().numTensors;
    const expected = await runOn('cpu', [x, dy], gradX);
    const actual = await runOn('wasm', [x, dy], gradX);
    expect(actual.shape).toEqual(c.x);
    expect(maxRelativeError(actual.values, expected.values)).toBeLessThan(1e-4);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('sends the gradient to the first maximum of a window with ties, as cpu does', async () => {
    const xShape = [1, 4, 4, 2];
    const x = { values: new Float32Array(32).fill(0.5), shape: xShape };
    const dyShape = [1, 2, 2, 2];
    const dy = { values: Float32Array.from({ length: 8 }, (_, i) => i + 1), shape: dyShape };
    const gradX = (xt: tf.Tensor, dyt: tf.Tensor) =>
      tf.grad((i: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(i as tf.Tensor4D, 2, 2, 'valid'), dyt)))(xt);
    const expected = await runOn('cpu', [x, dy], gradX);
    const actual = await runOn('wasm', [x, dy], gradX);
    expect(Array.from(actual.values)).toEqual(Array.from(expected.values));
  });
});
