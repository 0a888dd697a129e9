import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import {
  backend_util,
  Conv2DBackpropFilter,
  type Conv2DBackpropFilterAttrs,
  type Conv2DBackpropFilterInputs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { convElementStrides } from './conv-element-strides.js';
import { filterGradGemm, simdConvGeometry } from './conv-gemm.js';
import { heapFloat32 } from './wasm-backend-access.js';

type ConvInfo = backend_util.Conv2DInfo;

/** Direct loops over the heap: slow but general (NCHW, odd paddings); the fallback path. */
function filterGradDirect(x: TensorInfo, dy: TensorInfo, info: ConvInfo, backend: BackendWasm): TensorInfo {
  const { batchSize, filterHeight: fh, filterWidth: fw, inChannels, outChannels } = info;
  const { inHeight, inWidth, outHeight, outWidth, strideHeight, strideWidth } = info;
  const { dilationHeight, dilationWidth } = info;
  const { top, left } = info.padInfo;
  const {
    x: [xsB, xsR, xsC, xsD],
    dy: [ysB, ysR, ysC, ysD],
  } = convElementStrides(info);

  const out = backend.makeOutput([fh, fw, inChannels, outChannels], 'float32');
  const xv = heapFloat32(backend, x);
  const dyv = heapFloat32(backend, dy);
  const dw = heapFloat32(backend, out);
  dw.fill(0);
  for (let a = 0; a < fh; a++) {
    for (let b = 0; b < fw; b++) {
      for (let i = 0; i < inChannels; i++) {
        const wBase = ((a * fw + b) * inChannels + i) * outChannels;
        for (let n = 0; n < batchSize; n++) {
          for (let r = 0; r < outHeight; r++) {
            const xr = r * strideHeight + a * dilationHeight - top;
            if (xr < 0 || xr >= inHeight) continue;
            for (let c = 0; c < outWidth; c++) {
              const xc = c * strideWidth + b * dilationWidth - left;
              if (xc < 0 || xc >= inWidth) continue;
              const xVal = xv[n * xsB + xr * xsR + xc * xsC + i * xsD] as number;
              const yBase = n * ysB + r * ysR + c * ysC;
              for (let o = 0; o < outChannels; o++) {
                dw[wBase + o] = (dw[wBase + o] as number) + xVal * (dyv[yBase + o * ysD] as number);
              }
            }
          }
        }
      }
    }
  }
  return out;
}

function conv2DBackpropFilter(args: {
  inputs: Conv2DBackpropFilterInputs;
  backend: BackendWasm;
  attrs: Conv2DBackpropFilterAttrs;
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const x = inputs.x as TensorInfo;
  const dy = inputs.dy as TensorInfo;
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs;
  const info = backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filterShape,
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    backend_util.convertConv2DDataFormat(dataFormat),
  );
  const geometry = simdConvGeometry(info);
  if (geometry === undefined) return filterGradDirect(x, dy, info, backend);
  const out = backend.makeOutput(
    [info.filterHeight, info.filterWidth, info.inChannels, info.outChannels],
    'float32',
  );
  filterGradGemm(backend, x, dy, geometry, out);
  return out;
}

/**
 * `Conv2DBackpropFilter` for the WASM backend, which has none: the gradient of a 2-D convolution
 * with respect to its filter, as one SIMD GEMM over im2col(x) packed straight from x (NHWC,
 * dilation 1), with a direct loop as the fallback for layouts it cannot express (NCHW, dilations).
 */
export const conv2DBackpropFilterConfig: KernelConfig = {
  kernelName: Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: conv2DBackpropFilter as unknown as KernelFunc,
};
