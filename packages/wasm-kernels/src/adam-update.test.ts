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
 * tfjs's `AdamOptimizer.applyGradients` for one variable, op by op (and AdamW's decay first), on the
 * active backend: what `AdamUpdate` must match.
 */
function adamOps(w: tf.Tensor, m: tf.Tensor, v: tf.Tensor, g: tf.Tensor, a: AdamUpdateAttrs): tf.Tensor[] {
  return tf.tidy(() => {
    const value = a.weightDecay > 0 ? tf.mul(w, 1 - a.learningRate * a.weightDecay) : w;
    const newM = tf.add(tf.mul(m, a.beta1), tf.mul(g, 1 - a.beta1));
    const newV = tf.add(tf.mul(v, a.beta2), tf.mul(tf.square(g), 1 - a.beta2));
    const mHat = tf.div(newM, tf.scalar(a.oneMinusAccBeta1));
    const vHat = tf.div(newV, tf.scalar(a.oneMinusAccBeta2));
    const newValue = tf.add(tf.mul(tf.div(mHat, tf.add(tf.sqrt(vHat), a.epsilon)), -a.learningRate), value);
    return [newValue, newM, newV];
  });
}

/** `AdamUpdate` on wasm and tfjs's ops on cpu over the same values: the arrays each gives. */
async function kernelAndOps(
  inputs: { value: Float32Array; m: Float32Array; v: Float32Array; gradient: Float32Array },
  a: AdamUpdateAttrs,
): Promise<{ actual: Float32Array[]; expected: Float32Array[] }> {
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
  return { actual, expected };
}

const attrs = (weightDecay: number, t: number): AdamUpdateAttrs => ({
  beta1: 0.9,
  beta2: 0.999,
  epsilon: 1e-7,
  learningRate: 1e-3,
  // float32 1 - beta^t, as tfjs's running products give it
  oneMinusAccBeta1: Math.fround(1 - Math.fround(0.9 ** t)),
  oneMinusAccBeta2: Math.fround(1 - Math.fround(0.999 ** t)),
  weightDecay,
});

/**
 * Float32 values of random bit patterns, every exponent alike (subnormals, ±0 and the extremes
 * included), without NaN and infinities; `nonNegative` clears the sign.
 */
function wideValues(n: number, seed: number, nonNegative = false): Float32Array {
  const words = new Uint32Array(n);
  let state = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    // xorshift32: any bit pattern, cheaply and reproducibly.
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    let word = state >>> 0;
    if ((word & 0x7f800000) === 0x7f800000) word &= 0xff7fffff; // no NaN or infinity
    words[i] = nonNegative ? word & 0x7fffffff : word;
  }
  return new Float32Array(words.buffer);
}

it('float32(float64(x) * (1 / c)) is the float32 quotient x / c (how AdamUpdate divides by 1 - beta^t)', () => {
  const xs = wideValues(400_000, 11);
  const cs = wideValues(400_000, 12);
  // Divisors as Adam has them too: 1 - beta^t just below 1 and far below.
  for (let t = 1; t < 2_000; t += 7) cs[t] = Math.fround(1 - Math.fround(0.999 ** t));
  let mismatches = 0;
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i]!;
    const c = cs[i]!;
    // JavaScript divides in float64 and Math.fround rounds once more: for a quotient of two
    // float32 values that is the float32 quotient (53 >= 2 * 24 + 2 bits).
    if (!Object.is(Math.fround(x * (1 / c)), Math.fround(x / c))) mismatches++;
  }
  expect(mismatches).toBe(0);
});

it("the step cases below cover both of the kernel's loops: 1 - beta1^t below 1 and exactly 1", () => {
  expect(attrs(0, 164).oneMinusAccBeta1).toBeLessThan(1);
  expect(attrs(0, 165).oneMinusAccBeta1).toBe(1);
});

describe.each(kernelBuilds)('AdamUpdate and ScaledAdd, %s build', (build) => {
  beforeEach(() => useBuild(build));

  it.each([
    [1, 0, 1, false],
    [7, 0, 3, true],
    [288, 1e-2, 1, true],
    [401_411, 0, 20, false],
    [1_003, 5e-2, 200, true],
    // From step 165 float32 1 - 0.9^t is 1 and the kernel skips m's bias division: both sides of it.
    [4_099, 0, 164, true],
    [4_099, 0, 165, true],
    [64, 1e-2, 1_000, false],
  ])(
    'AdamUpdate of %i values (decay %f, step %i, special values %s) has the bits of tfjs ops on cpu',
    async (n, weightDecay, t, special) => {
      const inputs = {
        value: values(n, 1, 0.5, special),
        m: values(n, 2, 1e-2, special),
        v: values(n, 3, 1e-4).map(Math.abs),
        gradient: values(n, 4, 0.1, special),
      };
      const before = tf.memory().numTensors;
      const { actual, expected } = await kernelAndOps(inputs, attrs(weightDecay, t));
      expect(actual.map(bits)).toEqual(expected.map(bits));
      expect(tf.memory().numTensors).toBe(before);
    },
  );

  it.each([
    [2, 0.9],
    [33, 0.5],
    [1_001, 3e-7],
  ])(
    'AdamUpdate of moments of every exponent (step %i, 1 - beta2^t scaled by %f) has the bits of tfjs ops on cpu',
    async (t, scale) => {
      const n = 20_003;
      const inputs = {
        value: wideValues(n, 21),
        m: wideValues(n, 22),
        v: wideValues(n, 23, true),
        gradient: values(n, 24, 0.1, true),
      };
      const a = { ...attrs(0, t), oneMinusAccBeta2: Math.fround(attrs(0, t).oneMinusAccBeta2 * scale) };
      const { actual, expected } = await kernelAndOps(inputs, a);
      expect(actual.map(bits)).toEqual(expected.map(bits));
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
