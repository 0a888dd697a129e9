import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import {
  backend_util,
  Conv2DBackpropInput,
  type Conv2DBackpropInputAttrs,
  type Conv2DBackpropInputInputs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { convElementStrides } from './conv-element-strides.js';
import { convForwardGemm } from './conv-gemm.js';
import { disposeIntermediate, heapFloat32 } from './wasm-backend-access.js';

type ConvInfo = backend_util.Conv2DInfo;

/** Paddings of the equivalent forward convolution; negative when the fast path cannot express it. */
function fullConvPadding(info: ConvInfo): [number, number, number, number] {
  const { filterHeight: fh, filterWidth: fw, inHeight, inWidth } = info;
  const dilatedH = (info.outHeight - 1) * info.strideHeight + 1;
  const dilatedW = (info.outWidth - 1) * info.strideWidth + 1;
  const top = fh - 1 - info.padInfo.top;
  const left = fw - 1 - info.padInfo.left;
  return [top, inHeight + fh - 1 - dilatedH - top, left, inWidth + fw - 1 - dilatedW - left];
}

/**
 * The input gradient as one SIMD GEMM convolution: a "full" stride-1 convolution of `dy` (with zeros
 * inserted between its pixels when the forward stride is > 1) by the filter turned 180 degrees with
 * its in/out channels swapped. The flipped filter (small) and the zero-stuffed `dy` are built in JS;
 * the padding is the im2col's, so nothing else is materialized.
 */
function inputGradByConv(
  dy: TensorInfo,
  filter: TensorInfo,
  info: ConvInfo,
  pads: [number, number, number, number],
  backend: BackendWasm,
): TensorInfo {
  const { batchSize, filterHeight: fh, filterWidth: fw, inChannels, outChannels } = info;
  const { outHeight, outWidth, strideHeight, strideWidth } = info;
  const strided = strideHeight > 1 || strideWidth > 1;
  const dilatedH = (outHeight - 1) * strideHeight + 1;
  const dilatedW = (outWidth - 1) * strideWidth + 1;

  const flipped = backend.makeOutput([fh, fw, outChannels, inChannels], 'float32');
  const stuffed = strided ? backend.makeOutput([batchSize, dilatedH, dilatedW, outChannels], 'float32') : dy;
  const w = heapFloat32(backend, filter);
  const wf = heapFloat32(backend, flipped);
  for (let a = 0; a < fh; a++) {
    for (let b = 0; b < fw; b++) {
      const src = ((fh - 1 - a) * fw + (fw - 1 - b)) * inChannels * outChannels;
      const dst = (a * fw + b) * outChannels * inChannels;
      for (let i = 0; i < inChannels; i++) {
        for (let o = 0; o < outChannels; o++) {
          wf[dst + o * inChannels + i] = w[src + i * outChannels + o] as number;
        }
      }
    }
  }
  if (strided) {
    const dyv = heapFloat32(backend, dy);
    const sv = heapFloat32(backend, stuffed);
    sv.fill(0);
    for (let n = 0; n < batchSize; n++) {
      for (let r = 0; r < outHeight; r++) {
        for (let c = 0; c < outWidth; c++) {
          const from = ((n * outHeight + r) * outWidth + c) * outChannels;
          const to = ((n * dilatedH + r * strideHeight) * dilatedW + c * strideWidth) * outChannels;
          sv.set(dyv.subarray(from, from + outChannels), to);
        }
      }
    }
  }
  const dx = backend.makeOutput(info.inShape, 'float32');
  convForwardGemm(
    backend,
    stuffed,
    flipped,
    {
      batch: batchSize,
      inHeight: dilatedH,
      inWidth: dilatedW,
      inChannels: outChannels,
      outHeight: info.inHeight,
      outWidth: info.inWidth,
      outChannels: inChannels,
      filterHeight: fh,
      filterWidth: fw,
      strideHeight: 1,
      strideWidth: 1,
      padTop: pads[0],
      padLeft: pads[2],
    },
    dx,
  );
  disposeIntermediate(backend, flipped);
  if (strided) disposeIntermediate(backend, stuffed);
  return dx;
}

/** Direct scatter loops over the heap: slow but general (NCHW, odd paddings); the fallback path. */
function inputGradDirect(
  dy: TensorInfo,
  filter: TensorInfo,
  info: ConvInfo,
  backend: BackendWasm,
): TensorInfo {
  const { batchSize, filterHeight: fh, filterWidth: fw, inChannels, outChannels } = info;
  const { inHeight, inWidth, outHeight, outWidth, strideHeight, strideWidth } = info;
  const { top, left } = info.padInfo;
  const {
    x: [xsB, xsR, xsC, xsD],
    dy: [ysB, ysR, ysC, ysD],
  } = convElementStrides(info);

  const dx = backend.makeOutput(info.inShape, 'float32');
  const dyv = heapFloat32(backend, dy);
  const w = heapFloat32(backend, filter);
  const dxv = heapFloat32(backend, dx);
  dxv.fill(0);
  for (let n = 0; n < batchSize; n++) {
    for (let r = 0; r < outHeight; r++) {
      for (let c = 0; c < outWidth; c++) {
        const yBase = n * ysB + r * ysR + c * ysC;
        for (let a = 0; a < fh; a++) {
          const xr = r * strideHeight + a - top;
          if (xr < 0 || xr >= inHeight) continue;
          for (let b = 0; b < fw; b++) {
            const xc = c * strideWidth + b - left;
            if (xc < 0 || xc >= inWidth) continue;
            const xBase = n * xsB + xr * xsR + xc * xsC;
            const wBase = (a * fw + b) * inChannels * outChannels;
            for (let i = 0; i < inChannels; i++) {
              let sum = 0;
              for (let o = 0; o < outChannels; o++) {
                sum += (dyv[yBase + o * ysD] as number) * (w[wBase + i * outChannels + o] as number);
              }
              dxv[xBase + i * xsD] = (dxv[xBase + i * xsD] as number) + sum;
            }
          }
        }
      }
    }
  }
  return dx;
}

function conv2DBackpropInput(args: {
  inputs: Conv2DBackpropInputInputs;
  backend: BackendWasm;
  attrs: Conv2DBackpropInputAttrs;
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const dy = inputs.dy as TensorInfo;
  const filter = inputs.filter as TensorInfo;
  const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs;
  const info = backend_util.computeConv2DInfo(
    inputShape,
    filter.shape as [number, number, number, number],
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    backend_util.convertConv2DDataFormat(dataFormat),
  );
  const pads = fullConvPadding(info);
  const fast =
    info.dataFormat === 'channelsLast' &&
    info.dilationHeight === 1 &&
    info.dilationWidth === 1 &&
    pads[0] >= 0 &&
    pads[2] >= 0;
  return fast ? inputGradByConv(dy, filter, info, pads, backend) : inputGradDirect(dy, filter, info, backend);
}

/**
 * `Conv2DBackpropInput` for the WASM backend, replacing the stock one (a scalar loop): the gradient
 * of a 2-D convolution with respect to its input, as a SIMD GEMM convolution of `dy` (NHWC), with a
 * direct loop as the fallback for layouts it cannot express (NCHW, unusual explicit pads).
 */
export const conv2DBackpropInputConfig: KernelConfig = {
  kernelName: Conv2DBackpropInput,
  backendName: 'wasm',
  kernelFunc: conv2DBackpropInput as unknown as KernelFunc,
};
