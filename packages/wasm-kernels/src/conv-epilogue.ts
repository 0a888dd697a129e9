import type { SimdKernelExports } from './simd-kernels.js';

/**
 * What a forward convolution does to its output before it leaves the cache: add a per-channel bias
 * (its heap byte offset, `outChannels` floats) and then clamp at zero. The same two SIMD passes
 * `FusedConv2D` would run over the whole output afterwards, so the same bits, but each on a block
 * of output rows just written (at most a few tens of KB), not on megabytes read back from memory.
 */
export interface ConvEpilogue {
  bias?: number;
  relu: boolean;
}

/** Runs `epilogue` on `count` floats of conv output at byte offset `at` (whole pixels). */
export function applyConvEpilogue(
  kernels: SimdKernelExports,
  epilogue: ConvEpilogue | undefined,
  at: number,
  count: number,
  channels: number,
): void {
  if (epilogue === undefined) return;
  if (epilogue.bias !== undefined) kernels.add(at, epilogue.bias, at, count, channels);
  if (epilogue.relu) kernels.relu(at, at, count, 0);
}
