import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { TensorInfo } from '@tensorflow/tfjs-core';
import { type BiasReluEpilogue, epiloguePasses, storedBiasRelu } from './bias-relu-epilogue.js';
import type { ConvGeometry } from './conv-gemm.js';
import { allocScratch, heapOffset } from './gemm.js';
import { simdKernels } from './simd-kernels.js';

/**
 * Whether the direct 1-channel kernels run this convolution: one input channel, a 3x3 filter,
 * stride 1, output channels a multiple of 8 (the model's first layer). With K = 9 a GEMM tile does
 * only 9 k steps between its start and its stores, and the im2col before it is a scalar copy per
 * pixel: the direct kernels keep all 9 taps unrolled in one tile instead.
 */
export function fitsOneChannelDirect(g: ConvGeometry): boolean {
  return (
    g.inChannels === 1 &&
    g.filterHeight === 3 &&
    g.filterWidth === 3 &&
    g.strideHeight === 1 &&
    g.strideWidth === 1 &&
    g.outChannels % 8 === 0 &&
    g.outWidth > 0
  );
}

/** Output rows per block of the filter gradient: about 256 pixels, so a block's dy stays in L2. */
const gradBlockRows = (g: ConvGeometry) => Math.max(1, Math.floor(256 / g.outWidth));

/**
 * x zero-padded into scratch as `[N][OH + 2][OW + 2]` (the window of every output pixel lies
 * inside it), so the direct kernels need no bounds tests. Returns the scratch and the padded sizes;
 * `extraFloats` more floats follow the image for the caller.
 */
function padInput(
  backend: BackendWasm,
  x: TensorInfo,
  g: ConvGeometry,
  extraFloats: number,
): { scratch: ReturnType<typeof allocScratch>; padded: number; hp: number; wp: number; after: number } {
  const hp = g.outHeight + 2;
  const wp = g.outWidth + 2;
  // +8: pad_c1 zeroes 8 floats past the image, which a row's last tile may read; the caller's
  // floats start at the next 64-byte boundary.
  const paddedFloats = Math.ceil((g.batch * hp * wp + 8) / 16) * 16;
  const scratch = allocScratch(backend, paddedFloats + extraFloats);
  const padded = scratch.offset;
  simdKernels(backend).pad_c1(
    heapOffset(backend, x),
    g.batch,
    g.inHeight,
    g.inWidth,
    g.padTop,
    g.padLeft,
    hp,
    wp,
    padded,
  );
  const after = padded + paddedFloats * 4;
  return { scratch, padded, hp, wp, after };
}

/** The forward convolution of `fitsOneChannelDirect` shapes: writes all of `out`. */
export function convForwardOneChannel(
  backend: BackendWasm,
  x: TensorInfo,
  filter: TensorInfo,
  g: ConvGeometry,
  out: TensorInfo,
  epilogue?: BiasReluEpilogue,
): void {
  const O = g.outChannels;
  const { scratch, padded, hp, wp, after } = padInput(backend, x, g, 9 * O);
  try {
    const kernels = simdKernels(backend);
    kernels.pack_b(9, O, heapOffset(backend, filter), O, 1, after);
    const y = heapOffset(backend, out);
    const imageFloats = g.outHeight * g.outWidth * O;
    const biasRelu = storedBiasRelu(epilogue);
    // A bias with a ReLU happens in the kernel's stores: one call for the batch, as without an
    // epilogue. One of them alone: a call per image (28 x 28 x 16 floats at most here, 50 KB), so
    // that its pass finds the image's output still in cache.
    const imagesPerCall = epilogue === undefined || biasRelu !== 0 ? g.batch : 1;
    for (let n0 = 0; n0 < g.batch; n0 += imagesPerCall) {
      const images = Math.min(imagesPerCall, g.batch - n0);
      const at = y + n0 * imageFloats * 4;
      kernels.conv_c1_3x3(
        padded + n0 * hp * wp * 4,
        hp,
        wp,
        images * g.outHeight,
        g.outHeight,
        g.outWidth,
        O,
        after,
        at,
        biasRelu,
      );
      if (biasRelu === 0) epiloguePasses(kernels, epilogue, at, images * imageFloats, O);
    }
  } finally {
    backend.disposeData(scratch.info.dataId);
  }
}

/** The filter gradient of `fitsOneChannelDirect` shapes: writes all of `out` (`[3, 3, 1, O]`). */
export function filterGradOneChannel(
  backend: BackendWasm,
  x: TensorInfo,
  dy: TensorInfo,
  g: ConvGeometry,
  out: TensorInfo,
): void {
  const { scratch, padded, hp, wp } = padInput(backend, x, g, 0);
  try {
    simdKernels(backend).conv_c1_3x3_filter_grad(
      padded,
      hp,
      wp,
      g.batch * g.outHeight,
      g.outHeight,
      g.outWidth,
      g.outChannels,
      heapOffset(backend, dy),
      heapOffset(backend, out),
      gradBlockRows(g),
    );
  } finally {
    backend.disposeData(scratch.info.dataId);
  }
}
