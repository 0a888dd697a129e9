import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { Add, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { commutativeBinary } from './elementwise-binary.js';

/**
 * `Add` for the WASM backend: float32 sums of equal shapes, with a scalar or with a bias (the conv
 * layers' bias add) in one SIMD pass; other broadcasts and dtypes go to the stock kernel.
 */
export const addConfig: KernelConfig = {
  kernelName: Add,
  backendName: 'wasm',
  kernelFunc: ((args: { inputs: { a?: TensorInfo; b?: TensorInfo }; backend: BackendWasm }) =>
    commutativeBinary(Add, 'add', args)) as unknown as KernelFunc,
};
