import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { dropoutThreshold, SeededDropout } from './seeded-dropout.js';
import { setKernelBuild } from './simd-kernels.js';
import { kernelBuilds, prepareBackends, randomValues, useBuild } from './test-support.js';
import { WasmKernelError } from './wasm-kernel-error.js';

beforeAll(prepareBackends);
afterAll(() => setKernelBuild('auto'));

/** Bit patterns, every NaN as one (its sign and payload are noise). */
const bits = (v: Float32Array) =>
  Array.from(new Uint32Array(v.slice().buffer), (b, i) => (Number.isNaN(v[i]) ? 0x7fc00000 : b));

/** Values in [-4, 4) with NaN, ±0 and ±Infinity planted among them. */
function inputValues(n: number, seed: number): Float32Array {
  const v = randomValues([n], seed).map((x) => x * 4);
  [Number.NaN, -0, 0, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY].forEach((s, i) => {
    if (n > 0) v[(i * 11) % n] = s;
  });
  return v;
}

it.each([0.1, 0.25, 0.5, 0.9, 1e-7, 1 - 1e-7])(
  'dropoutThreshold(float32(1 - %f)) is the least generator value that keeps its element',
  (rate) => {
    const keep = Math.fround(1 - rate);
    // tfjs's test of a value u of the generator: floor(float32(u) + keep) in float32 is 1.
    const keeps = (u: number) => Math.floor(Math.fround(Math.fround(u) + keep)) === 1;
    const threshold = dropoutThreshold(keep);
    const step = 2 ** -32;
    expect(Number.isInteger(threshold / step)).toBe(true);
    expect(keeps(threshold)).toBe(true);
    expect(keeps(threshold - step)).toBe(false);
    // Monotonic on either side, as the vector loop's one comparison assumes.
    for (let i = 1; i <= 64; i++) {
      expect(keeps(threshold + i * step * 997)).toBe(true);
      expect(keeps(Math.max(0, threshold - i * step * 997))).toBe(false);
    }
  },
);

/** `tf.dropout`'s output and its multiplier, op by op as tfjs-core writes them, on `backend`. */
async function tfjsDropout(
  backend: 'cpu' | 'wasm',
  values: Float32Array,
  shape: number[],
  rate: number,
  seed: number | string,
): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  const [y, multiplier] = tf.tidy(() => {
    const x = tf.tensor(values, shape, 'float32');
    const keep = 1 - rate;
    const uniform = tf.randomUniform(shape, 0, 1, 'float32', seed);
    return [tf.dropout(x, rate, undefined, seed), tf.div(tf.floor(tf.add(uniform, keep)), keep)];
  });
  const result = [(await y!.data()) as Float32Array, (await multiplier!.data()) as Float32Array];
  tf.dispose([y!, multiplier!]);
  await tf.setBackend('wasm');
  return result;
}

function seededDropout(values: Float32Array, shape: number[], rate: number, seed: number | string) {
  return tf.tidy(() => {
    const x = tf.tensor(values, shape, 'float32');
    const [y, mask] = tf.engine().runKernel(SeededDropout, { x }, { rate, seed }) as tf.Tensor[];
    return [y!.dataSync() as Float32Array, mask!.dataSync() as Float32Array];
  });
}

describe.each(kernelBuilds)('SeededDropout, %s build', (build) => {
  beforeEach(() => useBuild(build));

  it.each([
    // The default model's two dropout layers at batch 128, then odd sizes, ranks and seeds: a
    // derived 32-bit seed, a small one, a string, and rates from the recipes and beyond.
    { shape: [128, 3, 3, 64], rate: 0.25, seed: 2_779_096_485 },
    { shape: [128, 192], rate: 0.25, seed: 1 },
    { shape: [7, 5, 3], rate: 0.4, seed: 'layer seed' },
    { shape: [1], rate: 0.5, seed: 42 },
    { shape: [2, 1, 9, 13], rate: 0.1, seed: 7 },
    { shape: [1001], rate: 0.9, seed: 123_456_789 },
    { shape: [200], rate: 0.25, seed: 11 },
    { shape: [0, 4], rate: 0.25, seed: 3 },
  ])(
    'is tf.dropout to the bit, and its mask, on wasm and cpu: $shape, rate $rate, seed $seed',
    async ({ shape, rate, seed }) => {
      const values = inputValues(tf.util.sizeFromShape(shape), 5);
      const before = tf.memory().numTensors;
      const [y, mask] = seededDropout(values, shape, rate, seed);
      expect(tf.memory().numTensors).toBe(before);
      for (const backend of ['wasm', 'cpu'] as const) {
        const [expectedY, expectedMask] = await tfjsDropout(backend, values, shape, rate, seed);
        expect(bits(y!), backend).toEqual(bits(expectedY!));
        expect(bits(mask!), backend).toEqual(bits(expectedMask!));
      }
    },
  );

  it('keeps about 1 - rate of the values, and draws another mask for another seed', () => {
    const values = inputValues(4096, 6);
    const [, first] = seededDropout(values, [4096], 0.25, 1);
    const [, second] = seededDropout(values, [4096], 0.25, 2);
    const kept = first!.filter((m) => m !== 0).length / first!.length;
    expect(kept).toBeGreaterThan(0.7);
    expect(kept).toBeLessThan(0.8);
    expect(bits(first!)).not.toEqual(bits(second!));
  });
});

describe('SeededDropout errors', () => {
  it.each([0, 1, -0.5, Number.NaN])('names a rate outside (0, 1): %s', (rate) => {
    expect(() => seededDropout(new Float32Array(4), [4], rate, 1)).toThrow(WasmKernelError);
    expect(() => seededDropout(new Float32Array(4), [4], rate, 1)).toThrow(/rate in \(0, 1\)/);
  });

  it('names an input that is not float32', () => {
    const run = () =>
      tf.tidy(() =>
        tf.engine().runKernel(SeededDropout, { x: tf.tensor1d([1, 2], 'int32') }, { rate: 0.5, seed: 1 }),
      );
    expect(run).toThrow(/SeededDropout takes float32 x/);
  });
});
