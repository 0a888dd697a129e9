import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import {
  FusedConv2D,
  type FusedConv2DAttrs,
  type FusedConv2DInputs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
  util,
} from '@tensorflow/tfjs-core';
import { simdConv2D } from './conv2d.js';
import { heapOffset } from './gemm.js';
import { stockKernelResult } from './stock-kernels.js';

function fusedConv2D(args: {
  inputs: FusedConv2DInputs;
  backend: BackendWasm;
  attrs: FusedConv2DAttrs;
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const x = inputs.x as TensorInfo;
  const filter = inputs.filter as TensorInfo;
  const bias = inputs.bias;
  const channels = filter.shape[3] as number;
  // Ours: no activation or ReLU, and no bias or a float32 bias of one value per output channel (a
  // multiple of 4, what the SIMD bias add takes): what tfjs-layers asks for in a Conv2D layer
  // (inference, and training of a bias-free conv before batch normalization).
  const epilogueFits =
    (attrs.activation === 'linear' || attrs.activation === 'relu') &&
    inputs.preluActivationWeights === undefined &&
    (bias === undefined ||
      (bias.dtype === 'float32' && util.sizeFromShape(bias.shape) === channels && channels % 4 === 0));
  const out = epilogueFits
    ? simdConv2D(backend, x, filter, attrs, {
        bias: bias === undefined ? undefined : heapOffset(backend, bias),
        relu: attrs.activation === 'relu',
      })
    : undefined;
  return out ?? stockKernelResult(FusedConv2D, args);
}

/**
 * `FusedConv2D` for the WASM backend: our `Conv2D` with a bias and a ReLU added and clamped in the
 * kernels' stores, and a bias or a ReLU alone run on each block of output rows right after it was
 * written (still in cache), the bits of `Conv2D`, `Add` and `Relu`; other activations, PReLU and
 * layouts go to the stock kernel.
 */
export const fusedConv2DConfig: KernelConfig = {
  kernelName: FusedConv2D,
  backendName: 'wasm',
  kernelFunc: fusedConv2D as unknown as KernelFunc,
};
