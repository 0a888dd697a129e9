import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { TensorInfo } from '@tensorflow/tfjs-core';
import { GEMM_NR } from './generated/kernel-binaries.js';
import { type BiasReluEpilogue, epiloguePasses, storedBiasRelu } from './bias-relu-epilogue.js';
import { convForwardOneChannel, filterGradOneChannel, fitsOneChannelDirect } from './conv-one-channel.js';
import { allocScratch, GEMM_KC, GEMM_MC, GEMM_TILE_FLOATS, heapOffset } from './gemm.js';
import { rowsByTile, simdKernels } from './simd-kernels.js';

/** An NHWC convolution with dilation 1 as the SIMD kernels see it; pads >= 0. */
export interface ConvGeometry {
  batch: number;
  inHeight: number;
  inWidth: number;
  inChannels: number;
  outHeight: number;
  outWidth: number;
  outChannels: number;
  filterHeight: number;
  filterWidth: number;
  strideHeight: number;
  strideWidth: number;
  padTop: number;
  padLeft: number;
}

const roundUp = (value: number, multiple: number) => Math.ceil(value / multiple) * multiple;

/** Output positions per im2col block (20 tiles of 6, 30 of 4): up to 120 x 576 floats, in L2. */
const ROWS_PER_BLOCK = 120;

/** The 11 i32 the kernels read a geometry from, written at byte offset `at`. */
function writeGeometry(backend: BackendWasm, at: number, g: ConvGeometry): void {
  const heap = new Int32Array((backend.wasm as unknown as { HEAPU8: Uint8Array }).HEAPU8.buffer, at, 11);
  heap.set([
    g.inHeight,
    g.inWidth,
    g.inChannels,
    g.outHeight,
    g.outWidth,
    g.filterHeight,
    g.filterWidth,
    g.strideHeight,
    g.strideWidth,
    g.padTop,
    g.padLeft,
  ]);
}

/**
 * Channels from which `convForwardGemm` reads each row of A where it lies in x. A tap's C values are
 * one run of k steps, and each run loads the tile's row pointers again. Measured on the default
 * model's shapes at batch 128 (Node 24, `fma`): in place took 0.90x of the im2col time for conv2's
 * input gradient (C = 32), 0.92x for conv3's (C = 64), 0.99x for conv3's forward (C = 32), but
 * 1.01-1.03x for conv2's forward (C = 16).
 */
const MIN_IN_PLACE_CHANNELS = 32;

/**
 * out[t, o] = sum_k im2col(x)[t, k] · filter[k, o] (NHWC, dilation 1): the forward convolution, and
 * the input gradient as a stride-1 "full" convolution. The filter (`[fh, fw, inC, outC]`, row major
 * `[K, outC]`) is packed once per k block. With 32 channels or more the GEMM reads each im2col row
 * where it lies in x, through a table of row pointers per tap and block of output positions
 * (`conv_rows`); with fewer, im2col rows are copied per block into L2-sized scratch and read by the
 * row-pointer GEMM. Either way the k steps of an element run in im2col order, in blocks of whole
 * taps of at most `GEMM_KC` values. Writes all of `out`, each block finished by `epilogue` (if any):
 * a bias and ReLU in the GEMM's stores of the last k block, one of them alone in a pass over the
 * block while it is in cache.
 */
export function convForwardGemm(
  backend: BackendWasm,
  x: TensorInfo,
  filter: TensorInfo,
  g: ConvGeometry,
  out: TensorInfo,
  epilogue?: BiasReluEpilogue,
): void {
  const C = g.inChannels;
  const taps = g.filterHeight * g.filterWidth;
  const K = taps * C;
  const N = g.outChannels;
  const M = g.batch * g.outHeight * g.outWidth;
  if (M === 0 || N === 0) return;
  if (fitsOneChannelDirect(g)) {
    convForwardOneChannel(backend, x, filter, g, out, epilogue);
    return;
  }
  const inPlace = C >= MIN_IN_PLACE_CHANNELS;
  const tapsPerBlock = Math.max(1, Math.floor(GEMM_KC / C));
  const kcMax = Math.min(K, tapsPerBlock * C);
  const kBlocks = Math.ceil(taps / tapsPerBlock);
  const n8 = roundUp(N, GEMM_NR);
  const packedFloats = K * n8;
  // In place: a table of ROWS_PER_BLOCK row pointers per tap, and C zeros for the taps outside x.
  const rowsFloats = inPlace ? ROWS_PER_BLOCK * taps + roundUp(C, 4) : ROWS_PER_BLOCK * K;
  const scratch = allocScratch(backend, packedFloats + rowsFloats + GEMM_TILE_FLOATS + 16);
  try {
    const kernels = simdKernels(backend);
    const packed = scratch.offset;
    const rowsAt = packed + packedFloats * 4;
    const zero = rowsAt + ROWS_PER_BLOCK * taps * 4;
    const tmp = rowsAt + rowsFloats * 4;
    const geometry = tmp + GEMM_TILE_FLOATS * 4;
    writeGeometry(backend, geometry, g);
    const w = heapOffset(backend, filter);
    const y = heapOffset(backend, out);
    const xo = heapOffset(backend, x);
    if (K === 0) {
      new Float32Array((backend.wasm as unknown as { HEAPU8: Uint8Array }).HEAPU8.buffer, y, M * N).fill(0);
      epiloguePasses(kernels, epilogue, y, M * N, N);
      return;
    }
    if (inPlace) kernels.fill_zero(zero, C);
    const biasRelu = storedBiasRelu(epilogue);
    for (let b = 0; b < kBlocks; b++) {
      const k0 = b * kcMax;
      kernels.pack_b(Math.min(kcMax, K - k0), N, w + k0 * N * 4, N, 1, packed + k0 * n8 * 4);
    }
    for (let p0 = 0; p0 < M; p0 += ROWS_PER_BLOCK) {
      const rows = Math.min(ROWS_PER_BLOCK, M - p0);
      if (inPlace) kernels.conv_tap_table(p0, rows, xo, zero, rowsAt, geometry);
      else kernels.im2col_rows(p0, rows, xo, rowsAt, geometry);
      for (let b = 0; b < kBlocks; b++) {
        const t0 = b * tapsPerBlock;
        const k0 = t0 * C;
        const blockTaps = Math.min(tapsPerBlock, taps - t0);
        const accumulate = b > 0 ? 1 : 0;
        const last = b === kBlocks - 1 ? biasRelu : 0;
        const c = y + p0 * N * 4;
        const pb = packed + k0 * n8 * 4;
        if (inPlace) kernels.conv_rows(rows, N, C, t0, blockTaps, rowsAt, pb, c, N, accumulate, tmp, last);
        else kernels.gemm_rows(rows, N, blockTaps * C, rowsAt + k0 * 4, K, pb, c, N, accumulate, tmp, last);
      }
      if (biasRelu === 0) epiloguePasses(kernels, epilogue, y + p0 * N * 4, rows * N, N);
    }
  } finally {
    backend.disposeData(scratch.info.dataId);
  }
}

/**
 * The filter gradient dW[k, o] = sum_t im2col(x)[t, k] · dy[t, o] (NHWC, dilation 1), computed as
 * dW^T = dy^T · im2col(x) so that both operands pack with vector copies: dy^T's tiles are 6
 * contiguous channels of a dy row (with 4x8 tiles for the last rows where 6 would leave a partial
 * tile, `rowsByTile`), im2col's panels 8 channels of one tap of x, built straight from x. k runs over output positions in blocks of whole output rows; the small [outC, K] result is
 * transposed into `out` ([fh, fw, inC, outC]) at the end.
 */
export function filterGradGemm(
  backend: BackendWasm,
  x: TensorInfo,
  dy: TensorInfo,
  g: ConvGeometry,
  out: TensorInfo,
): void {
  const K = g.filterHeight * g.filterWidth * g.inChannels; // columns of the product
  const O = g.outChannels; // rows of the product
  const rowsTotal = g.batch * g.outHeight;
  const heapF32 = () => new Float32Array((backend.wasm as unknown as { HEAPU8: Uint8Array }).HEAPU8.buffer);
  const outOffset = heapOffset(backend, out);
  if (rowsTotal === 0 || g.outWidth === 0 || O === 0 || K === 0) {
    heapF32().fill(0, outOffset / 4, outOffset / 4 + K * O);
    return;
  }
  if (fitsOneChannelDirect(g)) {
    filterGradOneChannel(backend, x, dy, g, out);
    return;
  }
  if (g.inChannels % GEMM_NR !== 0) {
    filterGradFewChannels(backend, x, dy, g, outOffset);
    return;
  }
  const rowsPerBlock = Math.max(1, Math.floor(GEMM_KC / g.outWidth));
  const kcMax = rowsPerBlock * g.outWidth;
  const kernels = simdKernels(backend);
  // dy^T's rows (the output channels) in whole tiles: the active tile's, then 4x8's.
  const [head, tail] = rowsByTile(O, kernels.gemmTileRows);
  const tailKernels = simdKernels(backend, '4x8');
  const packedAFloats = roundUp(O, kernels.gemmTileRows) * kcMax;
  const packedBFloats = roundUp(K, GEMM_NR) * kcMax;
  const scratch = allocScratch(backend, packedAFloats + packedBFloats + O * K + GEMM_TILE_FLOATS + 16);
  try {
    const packedA = scratch.offset;
    const packedB = packedA + packedAFloats * 4;
    const product = packedB + packedBFloats * 4;
    const tmp = product + O * K * 4;
    const geometry = tmp + GEMM_TILE_FLOATS * 4;
    writeGeometry(backend, geometry, g);
    const xo = heapOffset(backend, x);
    const dyo = heapOffset(backend, dy);
    for (let row0 = 0; row0 < rowsTotal; row0 += rowsPerBlock) {
      const rows = Math.min(rowsPerBlock, rowsTotal - row0);
      const kc = rows * g.outWidth;
      const t0 = row0 * g.outWidth;
      const accumulate = row0 > 0 ? 1 : 0;
      kernels.pack_b_im2col(K, row0, rows, xo, packedB, geometry);
      kernels.pack_a(head, kc, dyo + t0 * O * 4, 1, O, packedA);
      kernels.gemm_packed(head, K, kc, packedA, packedB, product, K, accumulate, tmp);
      if (tail > 0) {
        tailKernels.pack_a(tail, kc, dyo + (t0 * O + head) * 4, 1, O, packedA);
        tailKernels.gemm_packed(tail, K, kc, packedA, packedB, product + head * K * 4, K, accumulate, tmp);
      }
    }
    // [O, K] -> [K, O]: K·O is at most 9·64·64 floats, a small fraction of the product's cost.
    const heap = heapF32();
    const src = product / 4;
    const dst = outOffset / 4;
    for (let o = 0; o < O; o++) {
      const row = src + o * K;
      for (let k = 0; k < K; k++) heap[dst + k * O + o] = heap[row + k] as number;
    }
  } finally {
    backend.disposeData(scratch.info.dataId);
  }
}

/**
 * The filter gradient when the input channels are not a multiple of 8 (the first layer, 1 channel):
 * im2col rows per block of positions (contiguous copies), read transposed by `pack_a` (a tile's taps
 * are contiguous in a row), times dy packed as it lies; the product is dW itself.
 */
function filterGradFewChannels(
  backend: BackendWasm,
  x: TensorInfo,
  dy: TensorInfo,
  g: ConvGeometry,
  outOffset: number,
): void {
  const K = g.filterHeight * g.filterWidth * g.inChannels;
  const O = g.outChannels;
  const positions = g.batch * g.outHeight * g.outWidth;
  const colFloats = GEMM_KC * K;
  const kernels = simdKernels(backend);
  const packedAFloats = roundUp(Math.min(K, GEMM_MC), kernels.gemmTileRows) * GEMM_KC;
  const packedBFloats = roundUp(O, GEMM_NR) * GEMM_KC;
  const scratch = allocScratch(backend, colFloats + packedAFloats + packedBFloats + GEMM_TILE_FLOATS + 16);
  try {
    const col = scratch.offset;
    const packedA = col + colFloats * 4;
    const packedB = packedA + packedAFloats * 4;
    const tmp = packedB + packedBFloats * 4;
    const geometry = tmp + GEMM_TILE_FLOATS * 4;
    writeGeometry(backend, geometry, g);
    const xo = heapOffset(backend, x);
    const dyo = heapOffset(backend, dy);
    for (let t0 = 0; t0 < positions; t0 += GEMM_KC) {
      const kc = Math.min(GEMM_KC, positions - t0);
      kernels.im2col_rows(t0, kc, xo, col, geometry);
      kernels.pack_b(kc, O, dyo + t0 * O * 4, O, 1, packedB);
      for (let i0 = 0; i0 < K; i0 += GEMM_MC) {
        const mc = Math.min(GEMM_MC, K - i0);
        kernels.pack_a(mc, kc, col + i0 * 4, 1, K, packedA);
        kernels.gemm_packed(mc, O, kc, packedA, packedB, outOffset + i0 * O * 4, O, t0 > 0 ? 1 : 0, tmp);
      }
    }
  } finally {
    backend.disposeData(scratch.info.dataId);
  }
}

/**
 * The geometry of a tfjs conv info when the SIMD kernels can run it (NHWC, dilation 1, pads >= 0),
 * else `undefined` (the caller takes its general path).
 */
export function simdConvGeometry(info: {
  dataFormat: string;
  batchSize: number;
  inHeight: number;
  inWidth: number;
  inChannels: number;
  outHeight: number;
  outWidth: number;
  outChannels: number;
  filterHeight: number;
  filterWidth: number;
  strideHeight: number;
  strideWidth: number;
  dilationHeight: number;
  dilationWidth: number;
  padInfo: { top: number; left: number };
}): ConvGeometry | undefined {
  if (info.dataFormat !== 'channelsLast' || info.dilationHeight !== 1 || info.dilationWidth !== 1)
    return undefined;
  if (info.padInfo.top < 0 || info.padInfo.left < 0) return undefined;
  return {
    batch: info.batchSize,
    inHeight: info.inHeight,
    inWidth: info.inWidth,
    inChannels: info.inChannels,
    outHeight: info.outHeight,
    outWidth: info.outWidth,
    outChannels: info.outChannels,
    filterHeight: info.filterHeight,
    filterWidth: info.filterWidth,
    strideHeight: info.strideHeight,
    strideWidth: info.strideWidth,
    padTop: info.padInfo.top,
    padLeft: info.padInfo.left,
  };
}
