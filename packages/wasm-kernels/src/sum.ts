import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import {
  type KernelConfig,
  type KernelFunc,
  Sum,
  type SumAttrs,
  type SumInputs,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { heapOffset } from './gemm.js';
import { leadingAxesReduction } from './leading-axes-reduction.js';
import { simdKernels } from './simd-kernels.js';
import { stockKernelResult } from './stock-kernels.js';

function sum(args: { inputs: SumInputs; backend: BackendWasm; attrs: SumAttrs }): TensorInfo {
  const { inputs, backend, attrs } = args;
  const x = inputs.x as TensorInfo;
  const reduction = leadingAxesReduction(x, attrs.axis, attrs.keepDims);
  if (reduction === undefined) return stockKernelResult(Sum, args);
  const { rows, cols, outShape } = reduction;
  const out = backend.makeOutput(outShape, 'float32');
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
