import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { setKernelBuild } from './simd-kernels.js';
import { kernelBuilds, prepareBackends, randomValues, runOn, useBuild } from './test-support.js';

beforeAll(prepareBackends);
afterAll(() => setKernelBuild('auto'));

/** Random values with the special ones planted: NaN, -0, 0, ±Infinity. */
function values(shape: number[], seed: number): { values: Float32Array; shape: number[] } {
  const v = randomValues(shape, seed);
  const special = [Number.NaN, -0, 0, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];
  for (let i = 0; i < Math.min(v.length, special.length); i++) v[(i * 7) % v.length] = special[i] as number;
  return { values: v, shape };
}

/** Bit patterns, so -0 differs from 0; every NaN as one pattern (its sign and payload are noise). */
const bits = (v: Float32Array) =>
  Array.from(new Uint32Array(v.slice().buffer), (b, i) => (Number.isNaN(v[i]) ? 0x7fc00000 : b));

// Equal shapes (with a tail past the vectors), scalars either side, biases of 4..64 values, and
// broadcasts ours leave to the stock kernel (a column, a bias of 6 values).
const binaryCases: [number[], number[]][] = [
  [
    [3, 5, 7],
    [3, 5, 7],
  ],
  [[2, 9, 9, 32], [32]],
  [[13], [1]],
  [[], [6, 7]],
  [
    [4, 3, 64],
    [1, 64],
  ],
  [
    [5, 3, 4],
    [3, 4],
  ],
  [
    [5, 6],
    [5, 1],
  ],
  [[4, 6], [6]],
];

describe.each(kernelBuilds)('elementwise kernels, %s build', (build) => {
  beforeEach(() => useBuild(build));

  for (const [name, op] of [
    ['Add', tf.add],
    ['Multiply', tf.mul],
  ] as const) {
    it.each(binaryCases)(
      `${name} matches cpu to the bit for %j and %j, both orders`,
      async (aShape, bShape) => {
        const a = values(aShape, 61);
        const b = values(bShape, 62);
        const before = tf.memory().numTensors;
        for (const [x, y] of [
          [a, b],
          [b, a],
        ] as const) {
          const run = (s: tf.Tensor, t: tf.Tensor) => op(s, t);
          const expected = await runOn('cpu', [x, y], run);
          const actual = await runOn('wasm', [x, y], run);
          expect(actual.shape).toEqual(expected.shape);
          expect(bits(actual.values)).toEqual(bits(expected.values));
        }
        expect(tf.memory().numTensors).toBe(before);
      },
    );
  }

  it.each([[[7]], [[2, 14, 14, 64]], [[3, 5, 3]]])(
    'Relu, Floor and the stock Step match cpu to the bit for %j',
    async (shape) => {
      const x = values(shape, 63);
      // Values around the integers too (floor of -0.5, 2.5, -3): dropout floors u + keepProbability.
      const scaled = { values: x.values.map((v) => v * 4.5), shape };
      for (const [input, run] of [
        [x, (t: tf.Tensor) => tf.relu(t)],
        [x, (t: tf.Tensor) => tf.step(t)],
        [x, (t: tf.Tensor) => tf.step(t, 0.25)],
        [scaled, (t: tf.Tensor) => tf.floor(t)],
        [x, (t: tf.Tensor) => tf.floor(tf.add(t, 0.75))],
      ] as const) {
        const expected = await runOn('cpu', [input], run);
        const actual = await runOn('wasm', [input], run);
        expect(bits(actual.values)).toEqual(bits(expected.values));
      }
    },
  );

  it.each([[[7]], [[2, 14, 14, 64]], [[3, 5, 3]]])(
    "Relu's gradient matches cpu's to the bit for %j, in one ReluGrad kernel",
    async (shape) => {
      const x = values(shape, 64);
      const dy = values(shape, 65);
      const gradient = (t: tf.Tensor, d: tf.Tensor) => tf.grad((u: tf.Tensor) => tf.relu(u))(t, d);
      const expected = await runOn('cpu', [x, dy], gradient);
      const actual = await runOn('wasm', [x, dy], gradient);
      expect(bits(actual.values)).toEqual(bits(expected.values));
      const run = await tf.profile(() =>
        tf.tidy(() => gradient(tf.tensor(x.values, shape), tf.tensor(dy.values, shape))),
      );
      const names = run.kernels.map((k) => k.name);
      expect(names).toContain('ReluGrad');
      expect(names).not.toContain('Step');
      tf.dispose(run.result as tf.Tensor);
    },
  );

  it('Identity and a cast to the same dtype share the data, which outlives the input', async () => {
    const before = tf.memory().numTensors;
    const x = tf.tensor1d([1.5, -2, Number.NaN, -0]);
    const backend = tf.backend() as unknown as { refCount(dataId: object): number };
    const copy = tf.clone(x);
    const same = tf.cast(x, 'float32');
    const converted = tf.cast(x, 'int32');
    expect(copy.dataId).toBe(x.dataId);
    expect(same.dataId).toBe(x.dataId);
    expect(backend.refCount(x.dataId)).toBe(3);
    expect(converted.dataId).not.toBe(x.dataId);
    expect(Array.from(converted.dataSync())).toEqual([1, -2, 0, 0]);
    x.dispose();
    same.dispose();
    expect(bits(copy.dataSync() as Float32Array)).toEqual(bits(new Float32Array([1.5, -2, Number.NaN, -0])));
    copy.dispose();
    converted.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('leaves int32 to the stock kernels', () => {
    const [sum, product, relu, step] = tf.tidy(() => {
      const a = tf.tensor1d([1, -2, 3, -4], 'int32');
      return [
        tf.add(a, a).arraySync(),
        tf.mul(a, a).arraySync(),
        tf.relu(a).arraySync(),
        tf.step(a).arraySync(),
      ];
    });
    expect(sum).toEqual([2, -4, 6, -8]);
    expect(product).toEqual([1, 4, 9, 16]);
    expect(relu).toEqual([1, 0, 3, 0]);
    expect(step).toEqual([1, 0, 1, 0]);
  });
});
