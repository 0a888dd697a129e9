import type { SimdKernelExports } from './simd-kernels.js';

/**
 * What a forward convolution (or a dense layer) does to its output before it leaves the cache: add
 * a per-channel bias (its heap byte offset, one float per output channel) and then clamp at zero.
 * Both together (a conv layer's bias and ReLU) happen in the GEMM's and the first layer's stores, on
 * values still in registers; one alone runs as a SIMD pass over each block of output rows just
 * written (a few tens of KB). Either way the same float32 operations as an `Add` and a `Relu` over
 * the whole output, so the same bits.
 */
export interface BiasReluEpilogue {
  bias?: number;
  relu: boolean;
}

/** The kernels' `biasRelu` argument: the bias when `epilogue` adds one before a ReLU, else 0. */
export function storedBiasRelu(epilogue: BiasReluEpilogue | undefined): number {
  return epilogue?.relu === true && epilogue.bias !== undefined ? epilogue.bias : 0;
}

/** Runs `epilogue` as passes over `count` floats of output at byte offset `at` (whole rows of `channels`). */
export function epiloguePasses(
  kernels: SimdKernelExports,
  epilogue: BiasReluEpilogue | undefined,
  at: number,
  count: number,
  channels: number,
): void {
  if (epilogue === undefined) return;
  if (epilogue.bias !== undefined) kernels.add(at, epilogue.bias, at, count, channels);
  if (epilogue.relu) kernels.relu(at, at, count, 0);
}
