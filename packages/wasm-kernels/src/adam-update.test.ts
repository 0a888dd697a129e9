import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AdamUpdate, type AdamUpdateAttrs } from './adam-update.js';
import { ScaledAdd } from './scaled-add.js';
import { setKernelBuild } from './simd-kernels.js';
import { kernelBuilds, prepareBackends, randomValues, useBuild } from './test-support.js';

beforeAll(prepareBackends);
afterAll(() => setKernelBuild('auto'));

/** Bit patterns, every NaN as one (its sign and payload are noise). */
const bits = (v: Float32Array) =>
  Array.from(new Uint32Array(v.slice().buffer), (b, i) => (Number.isNaN(v[i]) ? 0x7fc00000 : b));

/** Values in [-scale, scale) with NaN, ±0 and ±Infinity planted at `special` positions. */
function values(n: number, seed: number, scale: number, special = false): Float32Array {
  const v = randomValues([n], seed).map((x) => x * scale);
  if (special) {
    [Number.NaN, -0, 0, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY].forEach((s, i) => {
      if (n > 0) v[(i * 11) % n] = s;
    });
  }
  return v;
}

/**
 * `AdamUpdate`'s formula in tfjs ops, one op per float32 operation in the kernel's order, on the
 * active backend: what the kernel must match to the bit.
 */
function adamOps(w: tf.Tensor, m: tf.Tensor, v: tf.Tensor, g: tf.Tensor, a: AdamUpdateAttrs): tf.Tensor[] {
  return tf.tidy(() => {
    const value = a.valueScale !== 1 ? tf.mul(w, a.valueScale) : w;
    const newM = tf.add(tf.mul(m, a.beta1), tf.mul(g, 1 - a.beta1));
    const newV = tf.add(tf.mul(v, a.beta2), tf.mul(tf.square(g), 1 - a.beta2));
    const denominator = tf.add(tf.mul(tf.sqrt(newV), a.secondMomentScale), a.epsilon);
    const newValue = tf.add(tf.mul(tf.div(newM, denominator), -a.stepSize), value);
    return [newValue, newM, newV];
  });
}

/** Step t of Adam at rate 1e-3 with decoupled decay `weightDecay`. */
const attrs = (weightDecay: number, t: number): AdamUpdateAttrs => ({
  beta1: 0.9,
  beta2: 0.999,
  epsilon: 1e-7,
  stepSize: 1e-3 / (1 - 0.9 ** t),
  secondMomentScale: 1 / Math.sqrt(1 - 0.999 ** t),
  valueScale: 1 - 1e-3 * weightDecay,
});

describe.each(kernelBuilds)('AdamUpdate and ScaledAdd, %s build', (build) => {
  beforeEach(() => useBuild(build));

  it.each([
    [1, 0, 1, false],
    [7, 0, 3, true],
    [288, 1e-2, 1, true],
    [401_411, 0, 20, false],
    [1_003, 5e-2, 200, true],
    [4_099, 0, 164, true],
    [64, 1e-2, 1_000, false],
  ])(
    'AdamUpdate of %i values (decay %f, step %i, special values %s) has the bits of its formula in tfjs ops on cpu',
    async (n, weightDecay, t, special) => {
      const inputs = {
        value: values(n, 1, 0.5, special),
        m: values(n, 2, 1e-2, special),
        v: values(n, 3, 1e-4).map(Math.abs),
        gradient: values(n, 4, 0.1, special),
      };
      const a = attrs(weightDecay, t);
      const before = tf.memory().numTensors;
      await tf.setBackend('cpu');
      const expected = tf.tidy(() => {
        const [w, m, v, g] = Object.values(inputs).map((x) => tf.tensor1d(x));
        return adamOps(w!, m!, v!, g!, a).map((x) => x.dataSync() as Float32Array);
      });
      await tf.setBackend('wasm');
      const actual = tf.tidy(() => {
        const tensors = Object.fromEntries(Object.entries(inputs).map(([k, x]) => [k, tf.tensor1d(x)]));
        const out = tf.engine().runKernel(AdamUpdate, tensors, { ...a }) as tf.Tensor[];
        return out.map((x) => x.dataSync() as Float32Array);
      });
      expect(actual.map(bits)).toEqual(expected.map(bits));
      expect(tf.memory().numTensors).toBe(before);
    },
  );

  it('ScaledAdd names the input it cannot take', () => {
    tf.tidy(() => {
      expect(() =>
        tf.engine().runKernel(ScaledAdd, { a: tf.zeros([2, 3]), b: tf.zeros([3, 2]) }, { alpha: 1, beta: 1 }),
      ).toThrow(/ScaledAdd takes float32 a, b of one shape; 'b' is float32 \[3, 2\], 'a' \[2, 3\]/);
    });
  });

  it('AdamUpdate names the input it cannot take', () => {
    tf.tidy(() => {
      const x = tf.zeros([4]);
      expect(() =>
        tf
          .engine()
          .runKernel(AdamUpdate, { value: x, m: x, v: x, gradient: tf.zeros([5]) }, { ...attrs(0, 1) }),
      ).toThrow(/'gradient' is float32 \[5\], 'value' \[4\]/);
    });
  });

  it.each([
    [5, 0.5, 0.5],
    [4_099, 31 / 63, 32 / 63],
    [64, 1, 0.3],
  ])(
    'ScaledAdd of %i values with weights %f and %f has the bits of add(mul, mul) on cpu',
    async (n, alpha, beta) => {
      const a = values(n, 5, 1, true);
      const b = values(n, 6, 1, true);
      const before = tf.memory().numTensors;
      await tf.setBackend('cpu');
      const expected = tf.tidy(
        () => tf.add(tf.mul(tf.tensor1d(a), alpha), tf.mul(tf.tensor1d(b), beta)).dataSync() as Float32Array,
      );
      await tf.setBackend('wasm');
      const actual = tf.tidy(
        () =>
          (
            tf
              .engine()
              .runKernel(ScaledAdd, { a: tf.tensor1d(a), b: tf.tensor1d(b) }, { alpha, beta }) as tf.Tensor
          ).dataSync() as Float32Array,
      );
      expect(bits(actual)).toEqual(bits(expected));
      expect(tf.memory().numTensors).toBe(before);
    },
  );
});
