import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasRelaxedSimd, kernelBuild, rowsByTile, setKernelBuild, simdKernels } from './simd-kernels.js';
import { prepareBackends } from './test-support.js';

beforeAll(prepareBackends);
afterAll(() => setKernelBuild('auto'));

describe('kernel builds', () => {
  it('picks fma where relaxed SIMD validates, and runs the forced build on its own instance', () => {
    const backend = tf.backend() as BackendWasm;
    setKernelBuild('auto');
    expect(kernelBuild()).toBe(hasRelaxedSimd() ? 'fma' : 'simd128');
    setKernelBuild('simd128');
    expect(kernelBuild()).toBe('simd128');
    const plain = simdKernels(backend);
    setKernelBuild('fma');
    expect(kernelBuild()).toBe('fma');
    const fma = simdKernels(backend);
    expect(fma).not.toBe(plain);
    expect(simdKernels(backend)).toBe(fma);
  });
});

describe('rowsByTile', () => {
  it('ends a 6-row product in 4-row tiles where 6 would leave a partial tile of 2 or 4 rows', () => {
    expect(rowsByTile(32, 6)).toEqual([24, 8]);
    expect(rowsByTile(10, 6)).toEqual([6, 4]);
    expect(rowsByTile(4, 6)).toEqual([0, 4]);
    expect(rowsByTile(64, 6)).toEqual([60, 4]);
  });

  it('leaves exact products, odd partial tiles and the 4x8 tile alone', () => {
    expect(rowsByTile(36, 6)).toEqual([36, 0]);
    expect(rowsByTile(9, 6)).toEqual([9, 0]);
    expect(rowsByTile(2, 6)).toEqual([2, 0]);
    expect(rowsByTile(32, 4)).toEqual([32, 0]);
  });
});
