import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import {
  type KernelConfig,
  type KernelFunc,
  Mean,
  type MeanAttrs,
  type MeanInputs,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { heapOffset } from './gemm.js';
import { leadingAxesReduction } from './leading-axes-reduction.js';
import { simdKernels } from './simd-kernels.js';
import { stockKernelResult } from './stock-kernels.js';

function mean(args: { inputs: MeanInputs; backend: BackendWasm; attrs: MeanAttrs }): TensorInfo {
  const { inputs, backend, attrs } = args;
  const x = inputs.x as TensorInfo;
  // A mean over every axis (a loss) or of no rows stays stock.
  const reduction = leadingAxesReduction(x, attrs.axis, attrs.keepDims);
  if (reduction === undefined || reduction.rows === 0) return stockKernelResult(Mean, args);
  const { rows, cols, outShape } = reduction;
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
