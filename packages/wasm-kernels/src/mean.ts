import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import {
  type KernelConfig,
  type KernelFunc,
  Mean,
  type MeanAttrs,
  type MeanInputs,
  type TensorInfo,
  util,
} from '@tensorflow/tfjs-core';
import { heapOffset } from './gemm.js';
import { simdKernels } from './simd-kernels.js';
import { runStockKernel } from './stock-kernels.js';
import { WasmKernelError } from './wasm-kernel-error.js';

function mean(args: { inputs: MeanInputs; backend: BackendWasm; attrs: MeanAttrs }): TensorInfo {
  const { inputs, backend, attrs } = args;
  const x = inputs.x as TensorInfo;
  const axes = [...new Set(util.parseAxisParam(attrs.axis, x.shape))].sort((a, b) => a - b);
  const leading = axes.length;
  const cols = util.sizeFromShape(x.shape.slice(leading));
  const rows = util.sizeFromShape(x.shape.slice(0, leading));
  // Ours: float32 means over a run of leading axes, but not all of them (the per-channel batch
  // statistics of batch normalization, over batch and pixels). Like `Sum`, the stock kernel first
  // transposes the reduced axes last, a full copy. A mean over every axis (a loss) stays stock.
  const ours =
    x.dtype === 'float32' &&
    leading > 0 &&
    leading < x.shape.length &&
    axes.every((axis, i) => axis === i) &&
    cols % 4 === 0 &&
    rows > 0;
  if (!ours) {
    const result = runStockKernel(Mean, args as unknown as Parameters<KernelFunc>[0]);
    if (result === undefined) {
      throw new WasmKernelError(
        "@mnist/wasm-kernels: this Mean needs the stock wasm Mean, which was not registered before ours; import '@tensorflow/tfjs-backend-wasm' first",
      );
    }
    return result as TensorInfo;
  }
  const outShape = attrs.keepDims ? x.shape.map((d, i) => (i < leading ? 1 : d)) : x.shape.slice(leading);
  const out = backend.makeOutput(outShape, 'float32');
  simdKernels(backend).col_sum(heapOffset(backend, x), rows, cols, heapOffset(backend, out));
  const values = backend.typedArrayFromHeap(out) as Float32Array;
  // A float32 quotient computed in float64 and stored rounds correctly (no double rounding for /).
  for (let i = 0; i < values.length; i++) values[i] = (values[i] as number) / rows;
  return out;
}

/**
 * `Mean` for the WASM backend, replacing the stock one: float32 means over leading axes (not all)
 * as the SIMD column sum of `Sum` divided by the count; every other reduction goes to the stock
 * kernel.
 */
export const meanConfig: KernelConfig = {
  kernelName: Mean,
  backendName: 'wasm',
  kernelFunc: mean as unknown as KernelFunc,
};
