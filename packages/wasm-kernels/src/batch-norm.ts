import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import {
  FusedBatchNorm,
  type FusedBatchNormAttrs,
  type FusedBatchNormInputs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
  util,
} from '@tensorflow/tfjs-core';
import { stockKernelResult } from './stock-kernels.js';

type Parameter = 'mean' | 'variance' | 'scale' | 'offset';

function fusedBatchNorm(args: {
  inputs: FusedBatchNormInputs;
  backend: BackendWasm;
  attrs: FusedBatchNormAttrs;
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const x = inputs.x as TensorInfo;
  const channels = x.shape[x.shape.length - 1] ?? 0;
  const present = (['mean', 'variance', 'scale', 'offset'] as Parameter[]).filter(
    (p) => inputs[p] !== undefined,
  );
  // Ours: float32, every statistic and parameter one value per channel of the last axis (or one
  // value for all), which is what a batch-normalization layer passes; other broadcasts go stock.
  const ours =
    x.dtype === 'float32' &&
    channels > 0 &&
    inputs.mean !== undefined &&
    inputs.variance !== undefined &&
    present.every((p) => {
      const t = inputs[p] as TensorInfo;
      const size = util.sizeFromShape(t.shape);
      return t.dtype === 'float32' && (size === channels || size === 1);
    });
  if (!ours) {
    return stockKernelResult(FusedBatchNorm, args);
  }
  const out = backend.makeOutput(x.shape, 'float32');
  // Per channel: y = (x - mean) * a + offset with a = scale / sqrt(variance + epsilon), computed
  // once per channel. Views taken after the output's allocation (the heap may grow).
  const perChannel = (p: Parameter, fallback: number): Float64Array => {
    const values = new Float64Array(channels).fill(fallback);
    const t = inputs[p];
    if (t === undefined) return values;
    const heap = backend.typedArrayFromHeap(t) as Float32Array;
    for (let c = 0; c < channels; c++) values[c] = heap[heap.length === 1 ? 0 : c] as number;
    return values;
  };
  const mean = perChannel('mean', 0);
  const variance = perChannel('variance', 1);
  const scale = perChannel('scale', 1);
  const offset = perChannel('offset', 0);
  const factor = new Float64Array(channels);
  for (let c = 0; c < channels; c++) {
    factor[c] = (scale[c] as number) / Math.sqrt((variance[c] as number) + attrs.varianceEpsilon);
  }
  const source = backend.typedArrayFromHeap(x) as Float32Array;
  const target = backend.typedArrayFromHeap(out) as Float32Array;
  for (let i = 0; i < source.length; i += channels) {
    for (let c = 0; c < channels; c++) {
      target[i + c] =
        ((source[i + c] as number) - (mean[c] as number)) * (factor[c] as number) + (offset[c] as number);
    }
  }
  return out;
}

/**
 * `FusedBatchNorm` for the WASM backend: float32 normalization along the last axis in one pass,
 * with each channel's factor `scale / sqrt(variance + epsilon)` computed once (the stock kernel
 * broadcasts every operand per element). Other shapes go to the stock kernel.
 */
export const fusedBatchNormConfig: KernelConfig = {
  kernelName: FusedBatchNorm,
  backendName: 'wasm',
  kernelFunc: fusedBatchNorm as unknown as KernelFunc,
};
