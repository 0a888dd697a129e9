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

const poolCases: {
  x: [number, number, number, number];
  size: number | [number, number];
  strides: number | [number, number];
  pad: 'valid' | 'same';
}[] = [
  { x: [2, 28, 28, 32], size: 2, strides: 2, pad: 'valid' },
  { x: [2, 14, 14, 64], size: 2, strides: 2, pad: 'same' },
  { x: [2, 7, 9, 8], size: 2, strides: 2, pad: 'valid' },
  { x: [2, 8, 8, 1], size: 2, strides: 2, pad: 'valid' },
  { x: [2, 9, 7, 3], size: 2, strides: 2, pad: 'valid' },
  { x: [2, 9, 7, 3], size: 2, strides: 2, pad: 'same' },
  { x: [3, 11, 10, 8], size: 3, strides: 2, pad: 'same' },
  { x: [1, 7, 7, 16], size: 3, strides: 1, pad: 'same' },
  { x: [2, 12, 12, 16], size: 3, strides: 2, pad: 'valid' },
  { x: [2, 10, 9, 5], size: [2, 3], strides: [1, 2], pad: 'same' },
];

describe.each(kernelBuilds)('maxPoolGradConfig, %s build', (build) => {
  beforeEach(() => useBuild(build));

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
    // 4 channels: the SIMD path; ties everywhere, and one window holding a NaN before its maximum.
    const xShape = [1, 4, 4, 4];
    const values = new Float32Array(64).fill(0.5);
    values[0] = Number.NaN;
    values[4] = 0.75;
    const x = { values, shape: xShape };
    const dyShape = [1, 2, 2, 4];
    const dy = { values: Float32Array.from({ length: 16 }, (_, i) => i + 1), shape: dyShape };
    const gradX = (xt: tf.Tensor, dyt: tf.Tensor) =>
      tf.grad((i: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(i as tf.Tensor4D, 2, 2, 'valid'), dyt)))(xt);
    const expected = await runOn('cpu', [x, dy], gradX);
    const actual = await runOn('wasm', [x, dy], gradX);
    expect(Array.from(actual.values)).toEqual(Array.from(expected.values));
  });

  it('gives nothing to a window of NaN or -Infinity, and the last position what no earlier one took', async () => {
    // One row of 3 windows x 4 channels; each window's four values in row-major order.
    const nan = Number.NaN;
    const inf = Number.POSITIVE_INFINITY;
    const windows = [
      [nan, nan, nan, nan],
      [-inf, -inf, -inf, -inf],
      [nan, -inf, -inf, -inf],
      [-inf, -inf, -inf, 5],
      [nan, 1, nan, 2],
      [1, nan, nan, nan],
      [-0, 0, -0, 0],
      [0, -0, 0, -0],
      [-1, -0.5, -0.5, -2],
      [2, 2, 2, 2],
      [1, 3, 3, 2],
      [0.1, 0.2, 0.3, inf],
    ];
    const values = new Float32Array(2 * 6 * 4);
    windows.forEach((window, w) => {
      const column = 2 * Math.floor(w / 4);
      const channel = w % 4;
      window.forEach((value, p) => {
        values[((p >> 1) * 6 + column + (p & 1)) * 4 + channel] = value;
      });
    });
    const x = { values, shape: [1, 2, 6, 4] };
    const dy = { values: Float32Array.from({ length: 12 }, (_, i) => i + 1), shape: [1, 1, 3, 4] };
    const gradX = (xt: tf.Tensor, dyt: tf.Tensor) =>
      tf.grad((i: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(i as tf.Tensor4D, 2, 2, 'valid'), dyt)))(xt);
    const expected = await runOn('cpu', [x, dy], gradX);
    const actual = await runOn('wasm', [x, dy], gradX);
    expect(Array.from(actual.values)).toEqual(Array.from(expected.values));
    // Three windows get nothing: the sum of dy less theirs (1, 2 and 3).
    expect(actual.values.reduce((a, b) => a + b, 0)).toBe(78 - 6);
  });
});

describe.each(kernelBuilds)('maxPoolConfig, %s build', (build) => {
  beforeEach(() => useBuild(build));

  it.each(poolCases)('matches cpu for x $x, size $size, strides $strides, pad $pad', async (c) => {
    const x = { values: randomValues(c.x, 23), shape: c.x };
    const pool = (xt: tf.Tensor) => tf.maxPool(xt as tf.Tensor4D, c.size, c.strides, c.pad);
    const before = tf.memory().numTensors;
    const expected = await runOn('cpu', [x], pool);
    const actual = await runOn('wasm', [x], pool);
    expect(actual.shape).toEqual(expected.shape);
    // A maximum is exact: the same values, bit for bit.
    expect(Array.from(actual.values)).toEqual(Array.from(expected.values));
    expect(tf.memory().numTensors).toBe(before);
  });

  // The fast maximum (f32x4.pmax) differs from the exact one only on NaN and on a -0 maximum; a row
  // holding either is computed again. Each special window sits in its own row, beside plain ones.
  it('gives NaN for a window with a NaN, +0 over -0 and -0 for all -0, as Math.max does', async () => {
    const shape = [2, 8, 6, 8];
    const values = randomValues(shape, 31);
    const at = (n: number, y: number, x: number, c: number) => ((n * 8 + y) * 6 + x) * 8 + c;
    values[at(0, 1, 1, 0)] = Number.NaN; // window (0, 0, 0), its last position
    values[at(0, 2, 4, 5)] = -0; // window (0, 1, 2): -0 first, then +0
    values[at(0, 2, 5, 5)] = 0;
    values[at(0, 3, 4, 5)] = -0.5;
    values[at(0, 3, 5, 5)] = -0.25;
    for (const [y, x] of [
      [4, 2],
      [4, 3],
      [5, 2],
      [5, 3],
    ]) {
      values[at(1, y!, x!, 3)] = -0; // window (1, 2, 1): all -0
      values[at(1, y! + 2, x! - 2, 7)] = Number.NEGATIVE_INFINITY; // window (1, 3, 0): all -Infinity
    }
    values[at(1, 0, 0, 6)] = Number.NaN; // window (1, 0, 0), its first position
    const actual = await runOn('wasm', [{ values, shape }], (xt) =>
      tf.maxPool(xt as tf.Tensor4D, 2, 2, 'valid'),
    );
    const expected: number[] = [];
    for (let n = 0; n < 2; n++)
      for (let oy = 0; oy < 4; oy++)
        for (let ox = 0; ox < 3; ox++)
          for (let c = 0; c < 8; c++) {
            const window = [0, 1].flatMap((dy) =>
              [0, 1].map((dx) => values[at(n, 2 * oy + dy, 2 * ox + dx, c)]!),
            );
            expected.push(Math.max(...window));
          }
    // toEqual tells -0 from +0 and takes NaN as equal to NaN.
    expect(Array.from(actual.values)).toEqual(expected);
    expect(Object.is(actual.values[((0 * 4 + 1) * 3 + 2) * 8 + 5], 0)).toBe(true);
    expect(Object.is(actual.values[((1 * 4 + 2) * 3 + 1) * 8 + 3], -0)).toBe(true);
  });
});

describe.each(kernelBuilds)('maxPoolReluGradConfig, %s build', (build) => {
  beforeEach(() => useBuild(build));

  /** `MaxPoolReluGrad` and `ReluGrad` of `MaxPoolGrad` on wasm for x = `values` (a ReLU's output). */
  /** The default model's pool: 2 x 2 windows, stride 2, no padding. */
  const POOL_2X2 = { size: 2, strides: 2, pad: 'valid' } as const;

  async function fusedAndComposed(
    values: Float32Array,
    shape: [number, number, number, number],
    c: Pick<(typeof poolCases)[number], 'size' | 'strides' | 'pad'>,
    dyValues?: Float32Array,
  ) {
    const outShape = tf.tidy(
      () => tf.maxPool(tf.zeros(shape) as tf.Tensor4D, c.size, c.strides, c.pad).shape,
    );
    const dy = { values: dyValues ?? randomValues(outShape, 25), shape: outShape };
    const attrs = { filterSize: c.size, strides: c.strides, pad: c.pad };
    const gradient = (fused: boolean) => (xt: tf.Tensor, dyt: tf.Tensor) => {
      const output = tf.maxPool(xt as tf.Tensor4D, c.size, c.strides, c.pad);
      const inputs = { dy: dyt, input: xt, output };
      if (fused) return tf.engine().runKernel('MaxPoolReluGrad', inputs, attrs) as tf.Tensor;
      const routed = tf.engine().runKernel('MaxPoolGrad', inputs, attrs) as tf.Tensor;
      return tf.engine().runKernel('ReluGrad', { dy: routed, x: xt }) as tf.Tensor;
    };
    const before = tf.memory().numTensors;
    const fused = await runOn('wasm', [{ values, shape }, dy], gradient(true));
    const composed = await runOn('wasm', [{ values, shape }, dy], gradient(false));
    expect(tf.memory().numTensors).toBe(before);
    return { fused, composed };
  }

  const bits = (values: Float32Array) => Array.from(new Uint32Array(values.slice().buffer));

  it.each(poolCases)(
    'is ReluGrad of MaxPoolGrad to the bit for x $x, size $size, strides $strides, pad $pad',
    async (c) => {
      // A ReLU's output: about half the values 0, so some windows are all zeros.
      const values = randomValues(c.x, 24).map((v) => Math.max(v, 0));
      const { fused, composed } = await fusedAndComposed(values, c.x, c);
      expect(fused.shape).toEqual(c.x);
      expect(bits(fused.values)).toEqual(bits(composed.values));
    },
  );

  it('keeps the step of zero, -0, NaN and negative inputs, and the sign of a zeroed gradient', async () => {
    // 8 channels (the one-pass SIMD route), one window of each kind per channel, dy of both signs.
    const shape: [number, number, number, number] = [1, 2, 2, 8];
    const windows = [
      [0, 0, 0, 0],
      [-0, 0, -0, 0],
      [Number.NaN, 1, 0, 0],
      [0, 0, 0, Number.NaN],
      [-1, -2, 0, -3],
      [2, 0, 3, 1],
      [0, 0, 0, 4],
      [Number.NEGATIVE_INFINITY, 0, 0, 0],
    ];
    const values = new Float32Array(32);
    windows.forEach((window, channel) => {
      window.forEach((value, p) => {
        values[p * 8 + channel] = value;
      });
    });
    const dy = Float32Array.from([-1, 2, -3, 4, -5, 6, -7, 8]);
    const { fused, composed } = await fusedAndComposed(values, shape, POOL_2X2, dy);
    expect(bits(fused.values)).toEqual(bits(composed.values));
    // The all-zero window with a negative dy: the gradient is -0 at its first position, as dy * 0.
    expect(Object.is(fused.values[0], -0)).toBe(true);
    // The window whose maximum 3 is at its third position (row 1, column 0).
    expect(fused.values[2 * 8 + 5]).toBe(6);
  });

  it('takes the one-pass route through rows whose running sum overflows or meets both infinities', async () => {
    // 2 x 4 windows of 8 channels. Row 0: values near float32's maximum in every window, so the
    // row's running sum (the NaN check) overflows to +Infinity without a NaN anywhere. Row 1:
    // +Infinity in one window and -Infinity in another, a NaN sum with no NaN in: done again
    // position by position, which must give the same bits.
    const shape: [number, number, number, number] = [1, 4, 8, 8];
    const values = randomValues(shape, 27).map((v) => Math.max(v, 0));
    const at = (row: number, col: number, channel: number) => (row * 8 + col) * 8 + channel;
    for (let col = 0; col < 8; col++) {
      for (let channel = 0; channel < 8; channel++) values[at(col % 2, col, channel)] = 3e38;
    }
    values[at(2, 1, 3)] = Number.POSITIVE_INFINITY;
    values[at(3, 6, 3)] = Number.NEGATIVE_INFINITY;
    const dy = randomValues([1, 2, 4, 8], 28);
    const { fused, composed } = await fusedAndComposed(values, shape, POOL_2X2, dy);
    expect(bits(fused.values)).toEqual(bits(composed.values));
    expect(fused.values[at(2, 1, 3)]).toBe(dy[(1 * 4 + 0) * 8 + 3]);
  });

  it('gives the last row and column of odd sides zero times the step: NaN at NaN, else +0', async () => {
    // 3 x 5 positions of 4 channels: one window row of two windows, then a row and a column that no
    // window covers, holding NaN, -0, negatives and positives.
    const shape: [number, number, number, number] = [1, 3, 5, 4];
    const values = randomValues(shape, 26).map((v) => Math.max(v, 0));
    const outside = [
      [0, 4],
      [1, 4],
      [2, 0],
      [2, 2],
      [2, 4],
    ];
    const specials = [Number.NaN, -0, -2, 3];
    for (const [row, col] of outside) {
      specials.forEach((value, channel) => {
        values[(row! * 5 + col!) * 4 + channel] = value;
      });
    }
    const { fused, composed } = await fusedAndComposed(values, shape, POOL_2X2);
    expect(bits(fused.values)).toEqual(bits(composed.values));
    const at = (row: number, col: number, channel: number) => fused.values[(row * 5 + col) * 4 + channel]!;
    expect(at(2, 2, 0)).toBeNaN();
    expect(Object.is(at(2, 2, 1), 0)).toBe(true);
    expect(Object.is(at(1, 4, 2), 0)).toBe(true);
    expect(Object.is(at(0, 4, 3), 0)).toBe(true);
  });
});
