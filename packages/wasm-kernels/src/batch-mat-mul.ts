import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import {
  BatchMatMul,
  type BatchMatMulAttrs,
  type BatchMatMulInputs,
  broadcast_util,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
  util,
} from '@tensorflow/tfjs-core';
import { gemmOnBackend, heapOffset } from './gemm.js';
import { heapFloat32 } from './wasm-backend-access.js';
import { WasmKernelError } from './wasm-kernel-error.js';

/** Our `BatchMatMul` of `inputs.a` and `inputs.b` into a new output (shared by `_FusedMatMul`). Internal. */
export function batchMatMul(args: {
  inputs: Pick<BatchMatMulInputs, 'a' | 'b'>;
  backend: BackendWasm;
  attrs: BatchMatMulAttrs;
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const a = inputs.a as TensorInfo;
  const b = inputs.b as TensorInfo;
  const { transposeA, transposeB } = attrs;
  if (a.dtype !== 'float32' || b.dtype !== 'float32') {
    throw new WasmKernelError(
      `@mnist/wasm-kernels: BatchMatMul supports float32 only, got '${a.dtype}' and '${b.dtype}'`,
    );
  }
  const aRows = a.shape[a.shape.length - 2] as number;
  const aCols = a.shape[a.shape.length - 1] as number;
  const bRows = b.shape[b.shape.length - 2] as number;
  const bCols = b.shape[b.shape.length - 1] as number;
  const batchA = util.sizeFromShape(a.shape.slice(0, -2));
  const batchB = util.sizeFromShape(b.shape.slice(0, -2));
  const inner = transposeA ? aRows : aCols;
  const innerB = transposeB ? bCols : bRows;
  if (inner !== innerB) {
    throw new WasmKernelError(
      `@mnist/wasm-kernels: BatchMatMul inner dimensions differ: a [${a.shape.join(', ')}] and b [${b.shape.join(', ')}] with transposeA=${transposeA}, transposeB=${transposeB}`,
    );
  }
  const outShape = broadcast_util
    .assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2))
    .concat([transposeA ? aCols : aRows, transposeB ? bRows : bCols]);

  const m = transposeA ? aCols : aRows;
  const n = transposeB ? bRows : bCols;
  const batch = util.sizeFromShape(outShape.slice(0, -2));
  // Equal batches, or a batch of 1 against any batch (all that layers and gradients produce);
  // other broadcasts (e.g. [2, 1] against [1, 3]) are refused rather than computed wrongly.
  if ((batchA !== batch && batchA !== 1) || (batchB !== batch && batchB !== 1)) {
    throw new WasmKernelError(
      `@mnist/wasm-kernels: BatchMatMul broadcasts only a batch of 1, got a [${a.shape.join(', ')}] and b [${b.shape.join(', ')}]`,
    );
  }
  const out = backend.makeOutput(outShape, 'float32');
  const c = heapOffset(backend, out);
  if (m * n === 0) return out;
  if (inner === 0) {
    heapFloat32(backend, out).fill(0);
    return out;
  }
  const aBase = heapOffset(backend, a);
  const bBase = heapOffset(backend, b);
  // Transposes are strides: the packing reads the operand as it lies, nothing is materialized.
  const [aRs, aCs] = transposeA ? [1, aCols] : [aCols, 1];
  const [bRs, bCs] = transposeB ? [1, bCols] : [bCols, 1];
  for (let i = 0; i < batch; i++) {
    const aOffset = aBase + (batchA === 1 ? 0 : i) * aRows * aCols * 4;
    const bOffset = bBase + (batchB === 1 ? 0 : i) * bRows * bCols * 4;
    gemmOnBackend(
      backend,
      m,
      n,
      inner,
      { offset: aOffset, rowStride: aRs, colStride: aCs },
      { offset: bOffset, rowStride: bRs, colStride: bCs },
      c + i * m * n * 4,
      n,
      false,
    );
  }
  return out;
}

/**
 * `BatchMatMul` for the WASM backend, replacing the stock one (XNNPACK only for untransposed
 * operands, a scalar loop otherwise): this package's SIMD GEMM, with transposes handled by packing.
 */
export const batchMatMulConfig: KernelConfig = {
  kernelName: BatchMatMul,
  backendName: 'wasm',
  kernelFunc: batchMatMul as unknown as KernelFunc,
};
