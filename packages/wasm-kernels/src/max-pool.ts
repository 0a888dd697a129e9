import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import {
  backend_util,
  type KernelConfig,
  type KernelFunc,
  MaxPool,
  type MaxPoolAttrs,
  type MaxPoolInputs,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { heapOffset } from './gemm.js';
import { simdKernels } from './simd-kernels.js';
import { stockKernelResult } from './stock-kernels.js';

/** Whether a pool is the 2x2 stride-2 unpadded NHWC one the SIMD kernels run (C a multiple of 4). */
export function isSimdPool2x2(info: backend_util.Conv2DInfo): boolean {
  return (
    info.effectiveFilterHeight === 2 &&
    info.effectiveFilterWidth === 2 &&
    info.strideHeight === 2 &&
    info.strideWidth === 2 &&
    info.padInfo.top === 0 &&
    info.padInfo.left === 0 &&
    info.inChannels % 4 === 0 &&
    2 * info.outHeight <= info.inHeight &&
    2 * info.outWidth <= info.inWidth
  );
}

function maxPool(args: { inputs: MaxPoolInputs; backend: BackendWasm; attrs: MaxPoolAttrs }): TensorInfo {
  const { inputs, backend, attrs } = args;
  const x = inputs.x as TensorInfo;
  const info = backend_util.computePool2DInfo(
    x.shape as [number, number, number, number],
    attrs.filterSize,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
  );
  if (x.dtype !== 'float32' || !isSimdPool2x2(info)) {
    return stockKernelResult(MaxPool, args);
  }
  const out = backend.makeOutput(info.outShape, 'float32');
  simdKernels(backend).max_pool_2x2(
    heapOffset(backend, x),
    info.batchSize,
    info.inHeight,
    info.inWidth,
    info.inChannels,
    info.outHeight,
    info.outWidth,
    heapOffset(backend, out),
  );
  return out;
}

/**
 * `MaxPool` for the WASM backend, replacing the stock one for the 2x2 stride-2 pool (one SIMD max
 * of four vectors per output vector; the result is exact, so the same bits as the stock kernel);
 * every other pool goes to the stock kernel.
 */
export const maxPoolConfig: KernelConfig = {
  kernelName: MaxPool,
  backendName: 'wasm',
  kernelFunc: maxPool as unknown as KernelFunc,
};
