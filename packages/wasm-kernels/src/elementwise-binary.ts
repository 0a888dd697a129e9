import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { backend_util, type TensorInfo, util } from '@tensorflow/tfjs-core';
import { heapOffset } from './gemm.js';
import { simdKernels } from './simd-kernels.js';
import { stockKernelResult } from './stock-kernels.js';

/** Whether `small` is `big`'s trailing dimensions (leading 1s of `small` aside): a bias-like operand. */
function isTrailing(small: number[], big: number[]): boolean {
  const dims = small.slice(small.findIndex((d) => d !== 1));
  if (dims.length > big.length) return false;
  return dims.every((d, i) => d === big[big.length - dims.length + i]);
}

/**
 * A commutative float32 binary kernel (`Add`, `Multiply`) on the SIMD module for the three
 * broadcasts training makes - equal shapes, a scalar, a bias along the trailing axes (a multiple of
 * 4 values) - and the stock kernel for everything else. Elementwise IEEE operations: the same
 * values as the stock kernel, to the bit. Internal.
 */
export function commutativeBinary(
  kernelName: string,
  op: 'add' | 'mul',
  args: { inputs: { a?: TensorInfo; b?: TensorInfo }; backend: BackendWasm },
): TensorInfo {
  const { backend } = args;
  const a = args.inputs.a as TensorInfo;
  const b = args.inputs.b as TensorInfo;
  if (a.dtype === 'float32' && b.dtype === 'float32') {
    const outShape = backend_util.assertAndGetBroadcastShape(a.shape, b.shape);
    const aSize = util.sizeFromShape(a.shape);
    const bSize = util.sizeFromShape(b.shape);
    // x: the operand of the output's size; z: the one repeated along it.
    const [x, z, zSize] = aSize >= bSize ? [a, b, bSize] : [b, a, aSize];
    const n = util.sizeFromShape(outShape);
    const fits =
      util.arraysEqual(x.shape, outShape) &&
      n > 0 &&
      (zSize === n
        ? util.arraysEqual(z.shape, x.shape)
        : zSize === 1 || (zSize % 4 === 0 && isTrailing(z.shape, x.shape)));
    if (fits) {
      const out = backend.makeOutput(outShape, 'float32');
      simdKernels(backend)[op](
        heapOffset(backend, x),
        heapOffset(backend, z),
        heapOffset(backend, out),
        n,
        zSize,
      );
      return out;
    }
  }
  return stockKernelResult(kernelName, args);
}
