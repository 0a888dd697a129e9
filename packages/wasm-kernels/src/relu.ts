import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { type KernelConfig, type KernelFunc, Relu, type TensorInfo, util } from '@tensorflow/tfjs-core';
import { heapOffset } from './gemm.js';
import { simdKernels } from './simd-kernels.js';
import { stockKernelResult } from './stock-kernels.js';

function relu(args: { inputs: { x?: TensorInfo }; backend: BackendWasm }): TensorInfo {
  const { backend } = args;
  const x = args.inputs.x as TensorInfo;
  if (x.dtype !== 'float32') {
    return stockKernelResult(Relu, args, `Relu of ${x.dtype}`);
  }
  const out = backend.makeOutput(x.shape, 'float32');
  simdKernels(backend).relu(heapOffset(backend, x), heapOffset(backend, out), util.sizeFromShape(x.shape), 0);
  return out;
}

/**
 * `Relu` for the WASM backend: IEEE `max(x, 0)` (NaN kept, -0 to +0: the stock kernel's bits) in
 * one SIMD pass.
 */
export const reluConfig: KernelConfig = {
  kernelName: Relu,
  backendName: 'wasm',
  kernelFunc: relu as unknown as KernelFunc,
};
