import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { Floor, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { simdUnary } from './elementwise-unary.js';

/**
 * `Floor` for the WASM backend: float32 `floor` (exact) in one SIMD pass; dropout's mask is
 * `floor(uniform + keepProbability)`, and the stock kernel was a scalar loop.
 */
export const floorConfig: KernelConfig = {
  kernelName: Floor,
  backendName: 'wasm',
  kernelFunc: ((args: { inputs: { x?: TensorInfo }; backend: BackendWasm }) =>
    simdUnary(Floor, 'floor', args)) as unknown as KernelFunc,
};
