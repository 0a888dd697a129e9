import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setKernelBuild } from './simd-kernels.js';
import {
  gemmOnTensors,
  kernelBuilds,
  prepareBackends,
  randomValues,
  transposePairs,
  useBuild,
} from './test-support.js';

beforeAll(prepareBackends);
afterAll(() => setKernelBuild('auto'));

/** C = A·B in float64, A and B given with element strides. */
function reference(
  m: number,
  n: number,
  k: number,
  a: Float32Array,
  ars: number,
  acs: number,
  b: Float32Array,
  brs: number,
  bcs: number,
): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let q = 0; q < k; q++) s += (a[i * ars + q * acs] as number) * (b[q * brs + j * bcs] as number);
      c[i * n + j] = s;
    }
  return c;
}

// m, n, k: odd edges of both tile sizes, one k block and several (KC = 256), and every packing path.
const shapes = [
  [1, 1, 1],
  [4, 8, 4],
  [5, 9, 3],
  [7, 17, 33],
  [64, 10, 128],
  [130, 64, 300],
  [13, 24, 520],
];

describe('gemm', () => {
  for (const build of kernelBuilds) {
    for (const [m, n, k] of shapes as [number, number, number][]) {
      for (const [tA, tB] of transposePairs) {
        it(`${build}: ${m}x${k} · ${k}x${n}, transposeA ${tA}, transposeB ${tB}, accumulate`, () => {
          useBuild(build);
          const a = tf.tensor(randomValues([m * k], 11), [m * k]);
          const b = tf.tensor(randomValues([k * n], 12), [k * n]);
          const c0 = randomValues([m * n], 13);
          const c = tf.tensor(c0, [m * n]);
          const strides = gemmOnTensors({ m, n, k }, { a, b, c }, tA, tB, true);
          const expected = reference(
            m,
            n,
            k,
            a.dataSync() as Float32Array,
            strides.a.rowStride,
            strides.a.colStride,
            b.dataSync() as Float32Array,
            strides.b.rowStride,
            strides.b.colStride,
          );
          const actual = c.dataSync();
          let worst = 0;
          for (let i = 0; i < m * n; i++)
            worst = Math.max(
              worst,
              Math.abs((actual[i] as number) - (c0[i] as number) - (expected[i] as number)),
            );
          expect(worst).toBeLessThan(1e-5 * Math.max(1, k));
          tf.dispose([a, b, c]);
        });
      }
    }
  }
});
