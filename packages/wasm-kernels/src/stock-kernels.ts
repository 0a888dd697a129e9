import type { KernelConfig } from '@tensorflow/tfjs-core';

// The wasm backend's own kernels that ours replaced, kept for the cases ours leave to them
// (a Conv2D in NCHW or with dilations). Filled by registerWasmTrainingKernels.
const stock = new Map<string, KernelConfig>();

/** Remembers the stock kernel a registration is about to replace. Internal. */
export function rememberStockKernel(config: KernelConfig): void {
  stock.set(config.kernelName, config);
}

/** The stock kernel ours replaced, if any. Internal. */
export function stockKernel(kernelName: string): KernelConfig | undefined {
  return stock.get(kernelName);
}
