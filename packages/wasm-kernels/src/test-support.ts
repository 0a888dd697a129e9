// Shared by the kernel tests only (not part of the package's API): run one computation on the `cpu`
// and `wasm` backends with identical inputs and compare.
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
// The CommonJS build of tfjs-layers registers tfjs-core's gradient functions (tfjs-core's own does not).
import '@tensorflow/tfjs-layers';
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';
import { registerWasmTrainingKernels } from './register-all.js';
import { type KernelBuild, setKernelBuild } from './simd-kernels.js';

/** Both kernel builds, each tested explicitly. */
export const kernelBuilds: KernelBuild[] = ['fma', 'simd128'];

/** Runs the rest of a test on one kernel build; `setKernelBuild('auto')` goes back to the default. */
export function useBuild(build: KernelBuild): void {
  setKernelBuild(build);
}

/** Sets up both backends once and registers our kernels; leaves `wasm` active. */
export async function prepareBackends(): Promise<void> {
  registerWasmTrainingKernels();
  await tf.setBackend('cpu');
  await tf.setBackend('wasm');
  await tf.ready();
}

/** Deterministic values in [-1, 1) for a shape, from tfjs's own seeded PRNG. */
export function randomValues(shape: number[], seed: number): Float32Array {
  return tf.tidy(() => tf.randomUniform(shape, -1, 1, 'float32', seed).dataSync() as Float32Array);
}

/** Runs `compute` on `backend` with the given arrays as tensors and returns the result's values. */
export async function runOn(
  backend: 'cpu' | 'wasm',
  inputs: { values: Float32Array; shape: number[] }[],
  compute: (...tensors: tf.Tensor[]) => tf.Tensor,
): Promise<{ values: Float32Array; shape: number[] }> {
  await tf.setBackend(backend);
  const result = tf.tidy(() => compute(...inputs.map((i) => tf.tensor(i.values, i.shape, 'float32'))));
  const values = (await result.data()) as Float32Array;
  const shape = result.shape;
  result.dispose();
  await tf.setBackend('wasm');
  return { values, shape };
}

/** Largest absolute difference divided by the largest absolute reference value. */
export function maxRelativeError(actual: Float32Array, expected: Float32Array): number {
  let scale = 0;
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    scale = Math.max(scale, Math.abs(expected[i] as number));
    worst = Math.max(worst, Math.abs((actual[i] as number) - (expected[i] as number)));
  }
  return scale === 0 ? worst : worst / scale;
}

/** One reduction over `axis` of a `shape`-shaped input that the reduction tests check. */
export interface ReductionCase {
  shape: number[];
  axis: number | number[];
  keepDims: boolean;
}

/**
 * Checks one reduction case on wasm against cpu: the same result shape, a largest relative error
 * below 1e-5 and no tensor left behind. `seed` seeds the input's values.
 */
export async function expectReductionMatchesCpu(
  reduction: (x: tf.Tensor, axis: number | number[], keepDims: boolean) => tf.Tensor,
  c: ReductionCase,
  seed: number,
): Promise<void> {
  const x = { values: randomValues(c.shape, seed), shape: c.shape };
  const reduce = (t: tf.Tensor) => reduction(t, c.axis, c.keepDims);
  const before = tf.memory().numTensors;
  const expected = await runOn('cpu', [x], reduce);
  const actual = await runOn('wasm', [x], reduce);
  expect(actual.shape).toEqual(expected.shape);
  expect(maxRelativeError(actual.values, expected.values)).toBeLessThan(1e-5);
  expect(tf.memory().numTensors).toBe(before);
}
