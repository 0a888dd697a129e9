import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { type TensorInfo, util } from '@tensorflow/tfjs-core';
import { heapOffset } from './gemm.js';
import { simdKernels } from './simd-kernels.js';
import { stockKernelResult } from './stock-kernels.js';

/**
 * An elementwise float32 kernel (`Relu`, `Floor`) as one pass of the SIMD module's unary
 * loop `op` with `alpha`; other dtypes go to the stock kernel. Internal.
 */
export function simdUnary(
  kernelName: string,
  op: 'relu' | 'floor',
  args: { inputs: { x?: TensorInfo }; backend: BackendWasm },
  alpha = 0,
): TensorInfo {
  const { backend } = args;
  const x = args.inputs.x as TensorInfo;
  if (x.dtype !== 'float32') return stockKernelResult(kernelName, args, `${kernelName} of ${x.dtype}`);
  const out = backend.makeOutput(x.shape, 'float32');
  simdKernels(backend)[op](
    heapOffset(backend, x),
    heapOffset(backend, out),
    util.sizeFromShape(x.shape),
    alpha,
  );
  return out;
}
