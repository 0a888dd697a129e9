import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import {
  _FusedMatMul,
  type _FusedMatMulAttrs,
  type _FusedMatMulInputs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
  util,
} from '@tensorflow/tfjs-core';
import { batchMatMul } from './batch-mat-mul.js';
import { epiloguePasses } from './bias-relu-epilogue.js';
import { heapOffset } from './gemm.js';
import { simdKernels } from './simd-kernels.js';
import { stockKernelResult } from './stock-kernels.js';

/**
 * The fewest rows of A (batch x rows) ours takes: at 1-4 rows the stock kernel took 0.02-0.05 ms
 * against our 0.08 for the default model's dense layer, from 16 rows on ours was quicker
 * (`STOCK=1 ONLY=_FusedMatMul BATCH=1,2,4,6,8,16,32 pnpm --filter @mnist/wasm-kernels bench:kernels`).
 */
const MIN_ROWS = 16;

function fusedMatMul(args: {
  inputs: _FusedMatMulInputs;
  backend: BackendWasm;
  attrs: _FusedMatMulAttrs;
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { a, b, bias } = inputs;
  const n = b.shape[attrs.transposeB ? b.shape.length - 2 : b.shape.length - 1] as number;
  const rows =
    util.sizeFromShape(a.shape) /
    (a.shape[attrs.transposeA ? a.shape.length - 2 : a.shape.length - 1] as number);
  // Ours: a ReLU, with no bias or a float32 one of one value per output column: a dense layer with
  // a ReLU at inference (while a gradient is recorded, tfjs-core computes it unfused). A linear
  // one (the output layer, in training too) stays with the stock kernel, whose bits trained the
  // shipped weights. Below MIN_ROWS rows (a single image) the stock kernel is quicker: it keeps
  // its packed weights between calls, and ours packs B at every call.
  const fits =
    rows >= MIN_ROWS &&
    attrs.activation === 'relu' &&
    inputs.preluActivationWeights === undefined &&
    a.dtype === 'float32' &&
    b.dtype === 'float32' &&
    (bias === undefined || (bias.dtype === 'float32' && util.sizeFromShape(bias.shape) === n));
  if (!fits) return stockKernelResult(_FusedMatMul, args);
  const out = batchMatMul({ inputs: { a, b }, backend, attrs });
  // In place, as `Add` and `Relu` would compute them: the same bits as the three kernels.
  epiloguePasses(
    simdKernels(backend),
    { bias: bias === undefined ? undefined : heapOffset(backend, bias), relu: true },
    heapOffset(backend, out),
    util.sizeFromShape(out.shape),
    n,
  );
  return out;
}

/**
 * `_FusedMatMul` for the WASM backend: a dense layer with a ReLU (tfjs-layers' `Dense` at
 * inference) on 16 rows or more as our `BatchMatMul` followed by the bias add and ReLU in place,
 * the bits of `BatchMatMul`, `Add` and `Relu` (so batch inference computes the hidden layer as
 * training does); fewer rows, linear and other activations, and PReLU go to the stock kernel.
 */
export const fusedMatMulConfig: KernelConfig = {
  kernelName: _FusedMatMul,
  backendName: 'wasm',
  kernelFunc: fusedMatMul as unknown as KernelFunc,
};
