import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import {
  backend_util,
  type KernelConfig,
  type KernelFunc,
  MaxPoolGrad,
  type MaxPoolGradAttrs,
  type MaxPoolGradInputs,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { heapFloat32 } from './wasm-backend-access.js';

function maxPoolGrad(args: {
  inputs: MaxPoolGradInputs;
  backend: BackendWasm;
  attrs: MaxPoolGradAttrs;
}): TensorInfo {
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

  const dx = backend.makeOutput(x.shape, 'float32');
  const xv = heapFloat32(backend, x);
  const dyv = heapFloat32(backend, dy);
  const dxv = heapFloat32(backend, dx);
  dxv.fill(0);
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
 * maximum of its pooling window in `x` (as tfjs's CPU backend does), in one pass over the heap with
 * the channel axis innermost.
 */
export const maxPoolGradConfig: KernelConfig = {
  kernelName: MaxPoolGrad,
  backendName: 'wasm',
  kernelFunc: maxPoolGrad as unknown as KernelFunc,
};
