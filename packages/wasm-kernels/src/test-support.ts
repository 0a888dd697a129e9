// Shared by the kernel tests only (not part of the package's API): run one computation on the `cpu`
// and `wasm` backends with identical inputs and compare.
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
// The CommonJS build of tfjs-layers registers tfjs-core's gradient functions (tfjs-core's own does not).
import '@tensorflow/tfjs-layers';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';
import { gemmOnBackend, heapOffset } from './gemm.js';
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

/** Every combination of transposing A and B, as `BatchMatMul`'s attributes take them. */
export const transposePairs = [
  [false, false],
  [true, false],
  [false, true],
  [true, true],
] as const;

/** Element strides of a row-major m x k matrix read as it lies, or of the k x m one it transposes. */
export interface MatrixStrides {
  rowStride: number;
  colStride: number;
}

/**
 * `gemmOnBackend` on flat tensors: c (m x n) = or += a (m x k) · b (k x n), each of a and b stored
 * row major as it lies or as its transpose (`transposeA`, `transposeB`). Returns the strides it
 * read a and b with, for a reference product.
 */
export function gemmOnTensors(
  shape: { m: number; n: number; k: number },
  operands: { a: tf.Tensor; b: tf.Tensor; c: tf.Tensor },
  transposeA: boolean,
  transposeB: boolean,
  accumulate: boolean,
): { a: MatrixStrides; b: MatrixStrides } {
  const { m, n, k } = shape;
  const backend = tf.backend() as BackendWasm;
  const a = transposeA ? { rowStride: 1, colStride: m } : { rowStride: k, colStride: 1 };
  const b = transposeB ? { rowStride: 1, colStride: k } : { rowStride: n, colStride: 1 };
  gemmOnBackend(
    backend,
    m,
    n,
    k,
    { offset: heapOffset(backend, operands.a), ...a },
    { offset: heapOffset(backend, operands.b), ...b },
    heapOffset(backend, operands.c),
    n,
    accumulate,
  );
  return { a, b };
}
