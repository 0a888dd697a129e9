import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import {
  type KernelConfig,
  type KernelFunc,
  Sum,
  type SumAttrs,
  type SumInputs,
  type TensorInfo,
  util,
} from '@tensorflow/tfjs-core';
import { disposeIntermediate, heapFloat32, runWasmKernel, viewAs } from './wasm-backend-access.js';
import { WasmKernelError } from './wasm-kernel-error.js';

// The backend's own `Sum`, kept by `registerWasmTrainingKernels` when it replaces it: every
// reduction but the one below goes to it.
let stockSum: KernelConfig | undefined;

/** Keeps the stock `Sum` kernel that `sumConfig` hands the general case to. Internal. */
export function rememberStockSum(config: KernelConfig | undefined): void {
  if (config !== undefined && config.kernelFunc !== sumConfig.kernelFunc) stockSum = config;
}

/** True when `axes` are exactly the leading `rank - 1` axes, in any order, each once. */
function reducesLeadingAxes(axes: number[], rank: number): boolean {
  const sorted = [...new Set(axes)].sort((a, b) => a - b);
  return rank >= 2 && sorted.length === rank - 1 && sorted.every((axis, i) => axis === i);
}

function sum(args: { inputs: SumInputs; backend: BackendWasm; attrs: SumAttrs }): TensorInfo {
  const { inputs, backend, attrs } = args;
  const x = inputs.x as TensorInfo;
  const rank = x.shape.length;
  const axes = util.parseAxisParam(attrs.axis, x.shape);
  if (x.dtype === 'float32' && reducesLeadingAxes(axes, rank) && util.sizeFromShape(x.shape) > 0) {
    // Bias gradients sum `[n, h, w, c]` over everything but the channels. The stock kernel first
    // transposes the reduced axes to the end (a full copy); as `ones[1, m] · x[m, c]` it is one
    // XNNPACK product reading `x` in place, 10-25x faster at the default model's sizes.
    const channels = x.shape[rank - 1] as number;
    const rows = util.sizeFromShape(x.shape) / channels;
    const ones = backend.makeOutput([1, 1, rows], 'float32');
    heapFloat32(backend, ones).fill(1);
    const product = runWasmKernel(
      '_FusedMatMul',
      backend,
      { a: ones, b: viewAs(x, [1, rows, channels]) },
      { transposeA: false, transposeB: false, activation: 'linear' },
    );
    disposeIntermediate(backend, ones);
    const shape = attrs.keepDims ? [...x.shape.slice(0, -1).map(() => 1), channels] : [channels];
    return { dataId: product.dataId, shape, dtype: 'float32' };
  }
  if (stockSum === undefined) {
    throw new WasmKernelError(
      "@mnist/wasm-kernels: Sum over these axes needs the WASM backend's own Sum kernel; register this package's kernels with registerWasmTrainingKernels() after importing '@tensorflow/tfjs-backend-wasm'",
    );
  }
  return stockSum.kernelFunc(args as never) as TensorInfo;
}

/**
 * `Sum` for the WASM backend, replacing the stock one: reductions over all but the last axis (the
 * bias gradients of conv and dense layers) run as one matrix product; every other reduction goes to
 * the stock kernel, whose one-time setup this config runs too.
 */
export const sumConfig: KernelConfig = {
  kernelName: Sum,
  backendName: 'wasm',
  kernelFunc: sum as unknown as KernelFunc,
  setupFunc: (backend) => stockSum?.setupFunc?.(backend),
};
