import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import {
  backend_util,
  Conv2D,
  type Conv2DAttrs,
  type Conv2DInputs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { convForwardGemm, simdConvGeometry } from './conv-gemm.js';
import { runStockKernel } from './stock-kernels.js';
import { WasmKernelError } from './wasm-kernel-error.js';

function conv2D(args: { inputs: Conv2DInputs; backend: BackendWasm; attrs: Conv2DAttrs }): TensorInfo {
  const { inputs, backend, attrs } = args;
  const x = inputs.x as TensorInfo;
  const filter = inputs.filter as TensorInfo;
  const { strides, pad, dataFormat, dilations, dimRoundingMode } = attrs;
  const info = backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filter.shape as [number, number, number, number],
    strides,
    dilations,
    pad,
    dimRoundingMode,
    false,
    backend_util.convertConv2DDataFormat(dataFormat),
  );
  const geometry = x.dtype === 'float32' && filter.dtype === 'float32' ? simdConvGeometry(info) : undefined;
  if (geometry === undefined) {
    const result = runStockKernel(Conv2D, args as unknown as Parameters<KernelFunc>[0]);
    if (result === undefined) {
      throw new WasmKernelError(
        `@mnist/wasm-kernels: Conv2D in ${dataFormat} with dilations [${String(dilations)}] needs the stock wasm Conv2D, which was not registered before ours`,
      );
    }
    return result as TensorInfo;
  }
  const out = backend.makeOutput(info.outShape, 'float32');
  convForwardGemm(backend, x, filter, geometry, out);
  return out;
}

/**
 * `Conv2D` for the WASM backend, replacing the stock one (XNNPACK, SIMD128 without FMA): im2col
 * blocks times the packed filter on this package's SIMD GEMM (NHWC, dilation 1); other layouts go
 * to the stock kernel.
 */
export const conv2DConfig: KernelConfig = {
  kernelName: Conv2D,
  backendName: 'wasm',
  kernelFunc: conv2D as unknown as KernelFunc,
};
