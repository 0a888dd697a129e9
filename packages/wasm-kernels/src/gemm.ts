import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { TensorInfo } from '@tensorflow/tfjs-core';
import { GEMM_NR, GEMM_TILES } from './generated/kernel-binaries.js';
import { rowsByTile, type SimdKernelExports, simdKernels } from './simd-kernels.js';

/** A matrix in tfjs's heap: byte offset of element [0][0] and element strides of rows and columns. */
export interface HeapMatrix {
  offset: number;
  rowStride: number;
  colStride: number;
}

/**
 * k per block: one packed B panel (KC x 8 floats, 8 KB) stays in L1 while a packed A block of
 * MC x KC (120 KB) streams from L2.
 */
export const GEMM_KC = 256;
/** Rows of A per packed block: 20 tiles of 6 rows, 30 of 4. */
export const GEMM_MC = 120;

/** Floats of an edge tile's scratch (`tmp` of the micro-kernels), enough for every tile shape. */
export const GEMM_TILE_FLOATS = Math.max(...Object.values(GEMM_TILES).map((tile) => tile.rows)) * GEMM_NR;

const roundUp = (value: number, multiple: number) => Math.ceil(value / multiple) * multiple;

/** Byte offset of a tensor's data in the WASM heap. */
export function heapOffset(backend: BackendWasm, info: TensorInfo): number {
  return (backend.dataIdMap.get(info.dataId) as { memoryOffset: number }).memoryOffset;
}

/**
 * Scratch floats from the backend's own allocator, so a kernel's working memory is tfjs's to reuse
 * and nothing leaks; free it with `backend.disposeData(scratch.dataId)`. 16 extra floats let the
 * caller align the start to 64 bytes.
 */
export function allocScratch(backend: BackendWasm, floats: number): { info: TensorInfo; offset: number } {
  const info = backend.makeOutput([floats + 16], 'float32');
  const offset = roundUp(heapOffset(backend, info), 64);
  return { info, offset };
}

/** Scratch floats `gemm` needs for these sizes with tiles of `tileRows` rows. */
export function gemmScratchFloats(
  m: number,
  n: number,
  k: number,
  aRowMajor: boolean,
  tileRows: number,
): number {
  const kc = Math.min(k, GEMM_KC);
  const packedB = kc * roundUp(n, GEMM_NR);
  const packedA = aRowMajor ? 0 : roundUp(Math.min(m, GEMM_MC), tileRows) * kc;
  return packedB + packedA + GEMM_TILE_FLOATS;
}

/**
 * C (m x n, row stride ldc, at byte offset c) = A·B, or += with `accumulate`. A and B are read
 * through their strides, so transposed operands cost a packing pass, never a materialized transpose.
 * A row-major A (column stride 1) is read in place; any other is packed per block. `scratch` is a
 * byte offset with `gemmScratchFloats(...)` floats, 64-byte aligned. The last rows go to
 * `tailKernels` (the 4x8 tile's) where `rowsByTile` says the active tile would end in a partial
 * tile (a batch of 64 is 6 x 10 + 4 rows): the same bits, and no tile computing rows that are not
 * there, nor storing its edge value by value.
 */
export function gemm(
  kernels: SimdKernelExports,
  m: number,
  n: number,
  k: number,
  a: HeapMatrix,
  b: HeapMatrix,
  c: number,
  ldc: number,
  accumulate: boolean,
  scratch: number,
  tailKernels: SimdKernelExports,
): void {
  const [head, tail] = rowsByTile(m, kernels.gemmTileRows);
  const aRowMajor = a.colStride === 1;
  const kcMax = Math.min(k, GEMM_KC);
  const packedB = scratch;
  const packedA = packedB + kcMax * roundUp(n, GEMM_NR) * 4;
  const tmp = packedA + (aRowMajor ? 0 : roundUp(Math.min(m, GEMM_MC), kernels.gemmTileRows) * kcMax * 4);
  for (let k0 = 0; k0 < k; k0 += GEMM_KC) {
    const kc = Math.min(GEMM_KC, k - k0);
    const acc = accumulate || k0 > 0 ? 1 : 0;
    kernels.pack_b(kc, n, b.offset + k0 * b.rowStride * 4, b.rowStride, b.colStride, packedB);
    const tailA = a.offset + (head * a.rowStride + k0 * a.colStride) * 4;
    const tailC = c + head * ldc * 4;
    if (aRowMajor) {
      if (head > 0)
        kernels.gemm_rows(head, n, kc, a.offset + k0 * 4, a.rowStride, packedB, c, ldc, acc, tmp, 0);
      if (tail > 0) tailKernels.gemm_rows(tail, n, kc, tailA, a.rowStride, packedB, tailC, ldc, acc, tmp, 0);
      continue;
    }
    if (tail > 0) {
      tailKernels.pack_a(tail, kc, tailA, a.rowStride, a.colStride, packedA);
      tailKernels.gemm_packed(tail, n, kc, packedA, packedB, tailC, ldc, acc, tmp);
    }
    for (let i0 = 0; i0 < head; i0 += GEMM_MC) {
      const mc = Math.min(GEMM_MC, head - i0);
      kernels.pack_a(
        mc,
        kc,
        a.offset + (i0 * a.rowStride + k0 * a.colStride) * 4,
        a.rowStride,
        a.colStride,
        packedA,
      );
      kernels.gemm_packed(mc, n, kc, packedA, packedB, c + i0 * ldc * 4, ldc, acc, tmp);
    }
  }
}

/** `gemm` with its scratch allocated from (and returned to) the backend. */
export function gemmOnBackend(
  backend: BackendWasm,
  m: number,
  n: number,
  k: number,
  a: HeapMatrix,
  b: HeapMatrix,
  c: number,
  ldc: number,
  accumulate: boolean,
): void {
  const kernels = simdKernels(backend);
  const scratch = allocScratch(backend, gemmScratchFloats(m, n, k, a.colStride === 1, kernels.gemmTileRows));
  try {
    gemm(kernels, m, n, k, a, b, c, ldc, accumulate, scratch.offset, simdKernels(backend, '4x8'));
  } finally {
    backend.disposeData(scratch.info.dataId);
  }
}
