import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { type KernelConfig, type KernelFunc, type TensorInfo, util } from '@tensorflow/tfjs-core';
import { checkFloat32Inputs } from './float32-inputs.js';
import { heapOffset } from './gemm.js';
import { simdKernels } from './simd-kernels.js';

/** The name of this package's weighted sum kernel (no tfjs kernel of that name exists). */
export const ScaledAdd = 'ScaledAdd';

/** Inputs of `ScaledAdd`: two float32 tensors of one shape. */
export interface ScaledAddInputs {
  a: TensorInfo;
  b: TensorInfo;
}

/** Attributes of `ScaledAdd`: the two weights, each rounded to float32 as a tfjs scalar is. */
export interface ScaledAddAttrs {
  alpha: number;
  beta: number;
}

function scaledAdd(args: {
  inputs: ScaledAddInputs;
  backend: BackendWasm;
  attrs: ScaledAddAttrs;
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { a, b } = inputs;
  checkFloat32Inputs(ScaledAdd, { a, b });
  const out = backend.makeOutput(a.shape, 'float32');
  simdKernels(backend).scaled_add(
    heapOffset(backend, a),
    heapOffset(backend, b),
    heapOffset(backend, out),
    util.sizeFromShape(a.shape),
    attrs.alpha,
    attrs.beta,
  );
  return out;
}

/**
 * `ScaledAdd` for the WASM backend, this package's own kernel: `a * alpha + b * beta` in one SIMD
 * pass, the float32 products and sum tfjs's `add(mul(a, alpha), mul(b, beta))` computes (never
 * fused into a multiply-add), so the same bits in one pass instead of three: the training threads'
 * gradients weighted by their share of the batch.
 */
export const scaledAddConfig: KernelConfig = {
  kernelName: ScaledAdd,
  backendName: 'wasm',
  kernelFunc: scaledAdd as unknown as KernelFunc,
};
