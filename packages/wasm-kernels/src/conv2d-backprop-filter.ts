import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import {
  backend_util,
  Conv2DBackpropFilter,
  type Conv2DBackpropFilterAttrs,
  type Conv2DBackpropFilterInputs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
  util,
} from '@tensorflow/tfjs-core';
import { convElementStrides } from './conv-element-strides.js';
import {
  disposeIntermediate,
  heapFloat32,
  runStrideOneConv2D,
  runWasmKernel,
  viewAs,
} from './wasm-backend-access.js';

type ConvInfo = backend_util.Conv2DInfo;

/**
 * The filter gradient as one stock `Conv2D` (XNNPACK) call. With
 * `dW[a,b,i,o] = sum_{n,r,c} x[n, r*s + a - padTop, c*s + b - padLeft, i] * dy[n,r,c,o]`,
 * read `x` as a batch of `inChannels` images whose channels are the samples (`[i, h, w, n]`) and
 * `dy` as a filter (`[r, c, n, o]`) dilated by the forward stride: the convolution's output
 * `[i, a, b, o]` is the gradient, up to a crop of the rows/columns the forward pass never reached.
 */
function filterGradByConv(x: TensorInfo, dy: TensorInfo, info: ConvInfo, backend: BackendWasm): TensorInfo {
  const { filterHeight: fh, filterWidth: fw, inChannels, outChannels, inHeight, inWidth } = info;
  const { outHeight, outWidth, strideHeight, strideWidth } = info;
  const { top, left } = info.padInfo;
  // Pad the far side just enough that the output covers the whole filter window.
  const bottom = Math.max(0, fh + (outHeight - 1) * strideHeight - inHeight - top);
  const right = Math.max(0, fw + (outWidth - 1) * strideWidth - inWidth - left);

  // The two transposes are plain JS loops: the stock wasm `Transpose` is a generic N-d index walk
  // that measured slower than these specialised copies.
  const { batchSize } = info;
  const pixels = inHeight * inWidth;
  const outPixels = outHeight * outWidth;
  const xT = backend.makeOutput([inChannels, inHeight, inWidth, batchSize], 'float32');
  const dyT = backend.makeOutput([outHeight, outWidth, batchSize, outChannels], 'float32');
  const xv = heapFloat32(backend, x);
  const xTv = heapFloat32(backend, xT);
  for (let p = 0; p < pixels; p++) {
    for (let n = 0; n < batchSize; n++) {
      const from = (n * pixels + p) * inChannels;
      let to = p * batchSize + n;
      for (let i = 0; i < inChannels; i++, to += pixels * batchSize) xTv[to] = xv[from + i] as number;
    }
  }
  const dyv = heapFloat32(backend, dy);
  const dyTv = heapFloat32(backend, dyT);
  for (let p = 0; p < outPixels; p++) {
    for (let n = 0; n < batchSize; n++) {
      const from = (n * outPixels + p) * outChannels;
      dyTv.set(dyv.subarray(from, from + outChannels), (p * batchSize + n) * outChannels);
    }
  }
  const conv = runStrideOneConv2D(backend, xT, dyT, [top, bottom, left, right], [strideHeight, strideWidth]);
  disposeIntermediate(backend, xT);
  disposeIntermediate(backend, dyT);

  const out = backend.makeOutput([fh, fw, inChannels, outChannels], 'float32');
  const src = heapFloat32(backend, conv);
  const dst = heapFloat32(backend, out);
  const convH = conv.shape[1] as number;
  const convW = conv.shape[2] as number;
  const rowLen = fw * inChannels * outChannels;
  for (let i = 0; i < inChannels; i++) {
    for (let a = 0; a < fh; a++) {
      for (let b = 0; b < fw; b++) {
        const from = ((i * convH + a) * convW + b) * outChannels;
        dst.set(src.subarray(from, from + outChannels), a * rowLen + (b * inChannels + i) * outChannels);
      }
    }
  }
  disposeIntermediate(backend, conv);
  return out;
}

/**
 * The filter gradient as one XNNPACK matrix product, for inputs with few channels (the first layer):
 * `dW[(a,b,i), o] = colT[(a,b,i), t] · dy[t, o]` over the `t = (n, r, c)` output positions, with the
 * transposed im2col matrix `colT` written straight from `x` and `dy` used in place. With one input
 * channel `colT` is only `fh·fw` times the size of `x`, less than the transposes of the conv path.
 */
function filterGradByMatMul(x: TensorInfo, dy: TensorInfo, info: ConvInfo, backend: BackendWasm): TensorInfo {
  const { batchSize, filterHeight: fh, filterWidth: fw, inChannels, outChannels } = info;
  const { inHeight, inWidth, outHeight, outWidth, strideHeight, strideWidth } = info;
  const { top, left } = info.padInfo;
  const positions = batchSize * outHeight * outWidth;
  const rows = fh * fw * inChannels;
  const colT = backend.makeOutput([1, rows, positions], 'float32');
  const xv = heapFloat32(backend, x);
  const cv = heapFloat32(backend, colT);
  for (let a = 0; a < fh; a++) {
    for (let b = 0; b < fw; b++) {
      for (let i = 0; i < inChannels; i++) {
        const row = ((a * fw + b) * inChannels + i) * positions;
        for (let n = 0; n < batchSize; n++) {
          for (let r = 0; r < outHeight; r++) {
            const to = row + (n * outHeight + r) * outWidth;
            const xr = r * strideHeight + a - top;
            if (xr < 0 || xr >= inHeight) {
              cv.fill(0, to, to + outWidth);
              continue;
            }
            const from = (n * inHeight + xr) * inWidth;
            for (let c = 0; c < outWidth; c++) {
              const xc = c * strideWidth + b - left;
              cv[to + c] = xc < 0 || xc >= inWidth ? 0 : (xv[(from + xc) * inChannels + i] as number);
            }
          }
        }
      }
    }
  }
  const product = runWasmKernel(
    '_FusedMatMul',
    backend,
    { a: colT, b: viewAs(dy, [1, positions, outChannels]) },
    { transposeA: false, transposeB: false, activation: 'linear' },
  );
  disposeIntermediate(backend, colT);
  return { dataId: product.dataId, shape: [fh, fw, inChannels, outChannels], dtype: 'float32' };
}

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
  const fast =
    info.dataFormat === 'channelsLast' &&
    info.dilationHeight === 1 &&
    info.dilationWidth === 1 &&
    info.padInfo.top >= 0 &&
    info.padInfo.left >= 0;
  if (!fast) return filterGradDirect(x, dy, info, backend);
  // im2col writes fh·fw·inChannels values per output position; the conv path moves x and dy once
  // each. Take whichever touches less memory (in practice: im2col for 1-3 input channels).
  const positions = info.batchSize * info.outHeight * info.outWidth;
  const im2colSize = info.filterHeight * info.filterWidth * info.inChannels * positions;
  const transposeSize = util.sizeFromShape(x.shape) + util.sizeFromShape(dy.shape);
  return im2colSize <= transposeSize
    ? filterGradByMatMul(x, dy, info, backend)
    : filterGradByConv(x, dy, info, backend);
}

/**
 * `Conv2DBackpropFilter` for the WASM backend, which has none: the gradient of a 2-D convolution
 * with respect to its filter, computed by the backend's own XNNPACK `Conv2D` (NHWC), with a direct
 * loop as the fallback for layouts it cannot express (NCHW).
 */
export const conv2DBackpropFilterConfig: KernelConfig = {
  kernelName: Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: conv2DBackpropFilter as unknown as KernelFunc,
};
