import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { type KernelConfig, type KernelFunc, Multiply, type TensorInfo } from '@tensorflow/tfjs-core';
import { commutativeBinary } from './elementwise-binary.js';

/**
 * `Multiply` for the WASM backend: float32 products of equal shapes (the relu gradient), with a
 * scalar (Adam) or a bias-like operand in one SIMD pass; other cases go to the stock kernel.
 */
export const multiplyConfig: KernelConfig = {
  kernelName: Multiply,
  backendName: 'wasm',
  kernelFunc: ((args: { inputs: { a?: TensorInfo; b?: TensorInfo }; backend: BackendWasm }) =>
    commutativeBinary(Multiply, 'mul', args)) as unknown as KernelFunc,
};
