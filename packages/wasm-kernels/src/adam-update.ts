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
 * Attributes of `AdamUpdate`, plain numbers, each rounded to float32 where the kernel uses it. The
 * bias corrections of step t come folded into two scalars, as torch's Adam folds them.
 */
export interface AdamUpdateAttrs {
  beta1: number;
  beta2: number;
  epsilon: number;
  /** `learningRate / (1 - beta1^t)`: the step along m'. */
  stepSize: number;
  /** `1 / sqrt(1 - beta2^t)`: the square root of v' times this is the corrected one. */
  secondMomentScale: number;
  /**
   * AdamW's decoupled decay: below 1 the value is first multiplied by it (`1 - learningRate *
   * weightDecay`); 1 for plain Adam (no multiply).
   */
  valueScale: number;
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
  // `1 - beta` in float64, rounded to float32 by the wasm call's f32 parameter, as a scalar tensor
  // of it would be.
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
    attrs.secondMomentScale,
    attrs.epsilon,
    -attrs.stepSize,
    attrs.valueScale,
    attrs.valueScale !== 1 ? 1 : 0,
  );
  return [outValue, outM, outV];
}

/**
 * `AdamUpdate` for the WASM backend, this package's own kernel: Adam's update of one variable (and
 * AdamW's decay before it) in one SIMD pass over value, moments and gradient:
 *   m' = m * beta1 + g * (1 - beta1);  v' = v * beta2 + (g * g) * (1 - beta2)
 *   value' = (m' / (sqrt(v') * secondMomentScale + epsilon)) * -stepSize + value * valueScale
 * The moments are tfjs's to the bit; the value's bias corrections are folded into the scalars (one
 * division and one square root a value, where tfjs's order takes three divisions). Every operation
 * is one float32 operation in this order, never fused into a multiply-add (not in the `fma` build
 * either), so tfjs ops in this order give the same bits on any backend. Outputs `[value, m, v]`,
 * new tensors.
 */
export const adamUpdateConfig: KernelConfig = {
  kernelName: AdamUpdate,
  backendName: 'wasm',
  kernelFunc: adamUpdate as unknown as KernelFunc,
};
