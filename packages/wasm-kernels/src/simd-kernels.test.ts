import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasRelaxedSimd, kernelBuild, setKernelBuild, simdKernels } from './simd-kernels.js';
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
