import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { type KernelConfig, type KernelFunc, Relu, type TensorInfo } from '@tensorflow/tfjs-core';
import { simdUnary } from './elementwise-unary.js';

/**
 * `Relu` for the WASM backend: IEEE `max(x, 0)` (NaN kept, -0 to +0: the stock kernel's bits) in
 * one SIMD pass.
 */
export const reluConfig: KernelConfig = {
  kernelName: Relu,
  backendName: 'wasm',
  kernelFunc: ((args: { inputs: { x?: TensorInfo }; backend: BackendWasm }) =>
    simdUnary(Relu, 'relu', args)) as unknown as KernelFunc,
};
