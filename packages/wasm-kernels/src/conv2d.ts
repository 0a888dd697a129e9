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
import type { BiasReluEpilogue } from './bias-relu-epilogue.js';
import { convForwardGemm, simdConvGeometry } from './conv-gemm.js';
import { stockKernelResult } from './stock-kernels.js';

/**
 * Our forward convolution of float32 NHWC `x` by `filter` into a new output, or `undefined` when
 * the layout or dilations are not ones the SIMD path covers (the caller then runs the stock
 * kernel). Shared by `Conv2D` and `FusedConv2D` (which passes its bias and ReLU as `epilogue`).
 * Internal.
 */
export function simdConv2D(
  backend: BackendWasm,
  x: TensorInfo,
  filter: TensorInfo,
  attrs: Pick<Conv2DAttrs, 'strides' | 'pad' | 'dataFormat' | 'dilations' | 'dimRoundingMode'>,
  epilogue?: BiasReluEpilogue,
): TensorInfo | undefined {
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
  if (geometry === undefined) return undefined;
  const out = backend.makeOutput(info.outShape, 'float32');
  convForwardGemm(backend, x, filter, geometry, out, epilogue);
  return out;
}

function conv2D(args: { inputs: Conv2DInputs; backend: BackendWasm; attrs: Conv2DAttrs }): TensorInfo {
  const { inputs, backend, attrs } = args;
  const out = simdConv2D(backend, inputs.x as TensorInfo, inputs.filter as TensorInfo, attrs);
  if (out !== undefined) return out;
  return stockKernelResult(
    Conv2D,
    args,
    `Conv2D in ${attrs.dataFormat} with dilations [${String(attrs.dilations)}]`,
  );
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
