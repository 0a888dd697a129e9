import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { util } from '@tensorflow/tfjs-core';
import { checkFloat32Inputs } from './float32-inputs.js';
import { heapOffset } from './gemm.js';
import { simdKernels } from './simd-kernels.js';

/** The name of this package's fused Adam kernel (no tfjs kernel of that name exists). */
export const AdamUpdate = 'AdamUpdate';

/** Inputs of `AdamUpdate`: one variable, its two moments and its gradient, float32 of one shape. */
export interface AdamUpdateInputs {
  value: TensorInfo;
  m: TensorInfo;
  v: TensorInfo;
  gradient: TensorInfo;
}

/**
 * Attributes of `AdamUpdate`: the numbers tfjs's `AdamOptimizer.applyGradients` turns into float32
 * scalars, as plain numbers (each rounded to float32 as tfjs rounds them).
 */
export interface AdamUpdateAttrs {
  beta1: number;
  beta2: number;
  epsilon: number;
  learningRate: number;
  /** `1 - beta1^t` as tfjs computes it: float32 `1 - accBeta1`. */
  oneMinusAccBeta1: number;
  /** `1 - beta2^t`, float32 `1 - accBeta2`. */
  oneMinusAccBeta2: number;
  /**
   * AdamW's decoupled decay: with `weightDecay > 0` the value is first multiplied by
   * `1 - learningRate * weightDecay` (computed in float64, rounded to float32); 0 for plain Adam.
   */
  weightDecay: number;
}

function adamUpdate(args: {
  inputs: AdamUpdateInputs;
  backend: BackendWasm;
  attrs: AdamUpdateAttrs;
}): TensorInfo[] {
  const { inputs, backend, attrs } = args;
  const { value, m, v, gradient } = inputs;
  const n = util.sizeFromShape(value.shape);
  checkFloat32Inputs(AdamUpdate, { value, m, v, gradient });
  const outValue = backend.makeOutput(value.shape, 'float32');
  const outM = backend.makeOutput(value.shape, 'float32');
  const outV = backend.makeOutput(value.shape, 'float32');
  // tfjs computes `1 - beta` in float64 and rounds it to float32 with the scalar tensor; the wasm
  // call's f32 parameters round the same way.
  simdKernels(backend).adam(
    heapOffset(backend, value),
    heapOffset(backend, m),
    heapOffset(backend, v),
    heapOffset(backend, gradient),
    heapOffset(backend, outValue),
    heapOffset(backend, outM),
    heapOffset(backend, outV),
    n,
    attrs.beta1,
    1 - attrs.beta1,
    attrs.beta2,
    1 - attrs.beta2,
    attrs.oneMinusAccBeta1,
    attrs.oneMinusAccBeta2,
    attrs.epsilon,
    -attrs.learningRate,
    1 - attrs.learningRate * attrs.weightDecay,
    attrs.weightDecay > 0 ? 1 : 0,
    // The float64 reciprocals of the two float32 divisors, which divide exactly (see the kernel).
    1 / Math.fround(attrs.oneMinusAccBeta1),
    1 / Math.fround(attrs.oneMinusAccBeta2),
  );
  return [outValue, outM, outV];
}

/**
 * `AdamUpdate` for the WASM backend, this package's own kernel: tfjs's Adam update of one variable
 * (and AdamW's decay before it) in one SIMD pass over value, moments and gradient, where tfjs runs
 * 14 elementwise ops, each a pass of its own. Every operation is the float32 operation tfjs does,
 * in its order, never fused into a multiply-add (not in the `fma` build either): the new value and
 * moments have the bits tfjs's ops give. Outputs `[value, m, v]`, new tensors.
 */
export const adamUpdateConfig: KernelConfig = {
  kernelName: AdamUpdate,
  backendName: 'wasm',
  kernelFunc: adamUpdate as unknown as KernelFunc,
};
