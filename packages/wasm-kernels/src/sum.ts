import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import {
  type KernelConfig,
  type KernelFunc,
  Sum,
  type SumAttrs,
  type SumInputs,
  type TensorInfo,
  util,
} from '@tensorflow/tfjs-core';
import { heapOffset } from './gemm.js';
import { simdKernels } from './simd-kernels.js';
import { runStockKernel } from './stock-kernels.js';
import { WasmKernelError } from './wasm-kernel-error.js';

function sum(args: { inputs: SumInputs; backend: BackendWasm; attrs: SumAttrs }): TensorInfo {
  const { inputs, backend, attrs } = args;
  const x = inputs.x as TensorInfo;
  const axes = [...new Set(util.parseAxisParam(attrs.axis, x.shape))].sort((a, b) => a - b);
  const leading = axes.length;
  const cols = util.sizeFromShape(x.shape.slice(leading));
  // Ours: float32 summed over a run of leading axes into rows of a multiple of 4 (the bias
  // gradients, dy summed over batch and pixels). The stock kernel transposes the reduced axes last
  // first, a full copy, which made these sums cost more than some convolutions.
  const ours =
    x.dtype === 'float32' &&
    leading > 0 &&
    leading < x.shape.length &&
    axes.every((axis, i) => axis === i) &&
    cols % 4 === 0;
  if (!ours) {
    const result = runStockKernel(Sum, args as unknown as Parameters<KernelFunc>[0]);
    if (result === undefined) {
      throw new WasmKernelError(
        "@mnist/wasm-kernels: this Sum needs the stock wasm Sum, which was not registered before ours; import '@tensorflow/tfjs-backend-wasm' first",
      );
    }
    return result as TensorInfo;
  }
  const outShape = attrs.keepDims ? x.shape.map((d, i) => (i < leading ? 1 : d)) : x.shape.slice(leading);
  const out = backend.makeOutput(outShape, 'float32');
  const rows = util.sizeFromShape(x.shape.slice(0, leading));
  simdKernels(backend).col_sum(heapOffset(backend, x), rows, cols, heapOffset(backend, out));
  return out;
}

/**
 * `Sum` for the WASM backend, replacing the stock one: float32 sums over leading axes (the bias
 * gradients) as one SIMD pass down the columns, in blocks of 256 rows whose sums are added up;
 * every other reduction goes to the stock kernel.
 */
export const sumConfig: KernelConfig = {
  kernelName: Sum,
  backendName: 'wasm',
  kernelFunc: sum as unknown as KernelFunc,
};
