import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import {
  backend_util,
  type KernelConfig,
  type KernelFunc,
  MaxPoolGrad,
  type MaxPoolGradAttrs,
  type MaxPoolGradInputs,
  type TensorInfo,
  util,
} from '@tensorflow/tfjs-core';
import { heapOffset } from './gemm.js';
import { isSimdPool2x2 } from './max-pool.js';
import { simdKernels } from './simd-kernels.js';
import { heapFloat32 } from './wasm-backend-access.js';

/**
 * The common 2x2, stride-2 pool whose windows all lie inside `x`: four loads and compares per value,
 * no per-window bookkeeping. Same tie and NaN rule as the general loop (first strict maximum).
 */
function routePool2x2(
  xv: Float32Array,
  dyv: Float32Array,
  dxv: Float32Array,
  batchSize: number,
  inHeight: number,
  inWidth: number,
  channels: number,
  outHeight: number,
  outWidth: number,
): void {
  const rowStride = inWidth * channels;
  for (let n = 0; n < batchSize; n++) {
    for (let r = 0; r < outHeight; r++) {
      for (let c = 0; c < outWidth; c++) {
        const p00 = ((n * inHeight + 2 * r) * inWidth + 2 * c) * channels;
        const p01 = p00 + channels;
        const p10 = p00 + rowStride;
        const p11 = p10 + channels;
        const yBase = ((n * outHeight + r) * outWidth + c) * channels;
        for (let d = 0; d < channels; d++) {
          let best = Number.NEGATIVE_INFINITY;
          let at = -1;
          let v = xv[p00 + d] as number;
          if (v > best) {
            best = v;
            at = p00 + d;
          }
          v = xv[p01 + d] as number;
          if (v > best) {
            best = v;
            at = p01 + d;
          }
          v = xv[p10 + d] as number;
          if (v > best) {
            best = v;
            at = p10 + d;
          }
          v = xv[p11 + d] as number;
          if (v > best) at = p11 + d;
          if (at >= 0) dxv[at] = dyv[yBase + d] as number;
        }
      }
    }
  }
}

function maxPoolGrad(args: {
  inputs: MaxPoolGradInputs;
  backend: BackendWasm;
  attrs: MaxPoolGradAttrs;
}): TensorInfo {
  return routeMaxPoolGradient(args, false);
}

/**
 * dx of a max pool, and with `relu` times the ReLU's step at x (`input` is a ReLU's output): for a
 * 2x2 stride-2 pool the SIMD kernels do both in one pass over dx (the windows, then on odd sides the
 * last row and column, which only the step touches), else the general route is followed by
 * `relu_grad` in place, the same bits.
 */
function routeMaxPoolGradient(
  args: { inputs: MaxPoolGradInputs; backend: BackendWasm; attrs: MaxPoolGradAttrs },
  relu: boolean,
): TensorInfo {
  const { inputs, backend, attrs } = args;
  const dy = inputs.dy as TensorInfo;
  const x = inputs.input as TensorInfo;
  const { filterSize, strides, pad, dimRoundingMode } = attrs;
  const info = backend_util.computePool2DInfo(
    x.shape as [number, number, number, number],
    filterSize,
    strides,
    1,
    pad,
    dimRoundingMode,
  );
  const { batchSize, inHeight, inWidth, inChannels: channels, outHeight, outWidth } = info;
  const { strideHeight, strideWidth, dilationHeight, dilationWidth } = info;
  const { effectiveFilterHeight, effectiveFilterWidth } = info;
  const { top, left } = info.padInfo;

  if (relu && !isSimdPool2x2(info)) {
    const routed = routeMaxPoolGradient(args, false);
    const at = heapOffset(backend, routed);
    simdKernels(backend).relu_grad(heapOffset(backend, x), at, at, util.sizeFromShape(x.shape));
    return routed;
  }
  const dx = backend.makeOutput(x.shape, 'float32');
  if (isSimdPool2x2(info)) {
    const kernels = simdKernels(backend);
    const dxOffset = heapOffset(backend, dx);
    const xOffset = heapOffset(backend, x);
    // Rows or columns past the last window (odd sizes) get no gradient from the pool: zeros, or
    // with the ReLU zero times its step.
    const oddSide = 2 * outHeight !== inHeight || 2 * outWidth !== inWidth;
    if (oddSide && !relu) kernels.fill_zero(dxOffset, batchSize * inHeight * inWidth * channels);
    const shape = [batchSize, inHeight, inWidth, channels, outHeight, outWidth] as const;
    const pass = relu ? kernels.max_pool_2x2_relu_grad : kernels.max_pool_2x2_grad;
    pass(xOffset, heapOffset(backend, dy), ...shape, dxOffset);
    if (oddSide && relu) kernels.relu_grad_outside_pool(xOffset, ...shape, dxOffset);
    return dx;
  }
  const xv = heapFloat32(backend, x);
  const dyv = heapFloat32(backend, dy);
  const dxv = heapFloat32(backend, dx);
  dxv.fill(0);
  if (
    effectiveFilterHeight === 2 &&
    effectiveFilterWidth === 2 &&
    strideHeight === 2 &&
    strideWidth === 2 &&
    top === 0 &&
    left === 0 &&
    2 * outHeight <= inHeight &&
    2 * outWidth <= inWidth
  ) {
    routePool2x2(xv, dyv, dxv, batchSize, inHeight, inWidth, channels, outHeight, outWidth);
    return dx;
  }
  // Per-channel running max and its flat index, so the innermost loop runs along the contiguous
  // channel axis of NHWC. Strict `>` keeps the first maximum in row-major window order, as tfjs does.
  const best = new Float32Array(channels);
  const where = new Int32Array(channels);
  for (let n = 0; n < batchSize; n++) {
    for (let r = 0; r < outHeight; r++) {
      const rowStart = r * strideHeight - top;
      for (let c = 0; c < outWidth; c++) {
        const colStart = c * strideWidth - left;
        best.fill(Number.NEGATIVE_INFINITY);
        where.fill(-1);
        for (let a = 0; a < effectiveFilterHeight; a += dilationHeight) {
          const xr = rowStart + a;
          if (xr < 0 || xr >= inHeight) continue;
          for (let b = 0; b < effectiveFilterWidth; b += dilationWidth) {
            const xc = colStart + b;
            if (xc < 0 || xc >= inWidth) continue;
            const base = ((n * inHeight + xr) * inWidth + xc) * channels;
            for (let d = 0; d < channels; d++) {
              const v = xv[base + d] as number;
              if (v > (best[d] as number)) {
                best[d] = v;
                where[d] = base + d;
              }
            }
          }
        }
        const yBase = ((n * outHeight + r) * outWidth + c) * channels;
        for (let d = 0; d < channels; d++) {
          const at = where[d] as number;
          if (at >= 0) dxv[at] = (dxv[at] as number) + (dyv[yBase + d] as number);
        }
      }
    }
  }
  return dx;
}

/**
 * `MaxPoolGrad` for the WASM backend, replacing the stock one: routes each `dy` value to the first
 * maximum of its pooling window in `x` (as tfjs's CPU backend does): one SIMD pass for the 2x2
 * stride-2 pool with channels a multiple of 4, else one JS pass over the heap, channels innermost.
 */
export const maxPoolGradConfig: KernelConfig = {
  kernelName: MaxPoolGrad,
  backendName: 'wasm',
  kernelFunc: maxPoolGrad as unknown as KernelFunc,
};

/** The name of this package's kernel for the gradient of a max pool over a ReLU's output. */
export const MaxPoolReluGrad = 'MaxPoolReluGrad';

/**
 * `MaxPoolReluGrad` for the WASM backend, this package's own kernel: `MaxPoolGrad`'s inputs and
 * attributes, where `input` is a ReLU's output, and its result times the ReLU's step at `input`:
 * what `ReluGrad` of `MaxPoolGrad` gives, to the bit, in one pass over x and dx instead of two
 * (2x2 stride-2 pools of even sides; other pools run the two passes).
 */
export const maxPoolReluGradConfig: KernelConfig = {
  kernelName: MaxPoolReluGrad,
  backendName: 'wasm',
  kernelFunc: ((args: { inputs: MaxPoolGradInputs; backend: BackendWasm; attrs: MaxPoolGradAttrs }) =>
    routeMaxPoolGradient(args, true)) as unknown as KernelFunc,
};
