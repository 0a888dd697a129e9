import type { KernelBackend, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { WasmKernelError } from './wasm-kernel-error.js';

// The wasm backend's own kernels that ours replaced, kept for the cases ours leave to them
// (a Conv2D in NCHW or with dilations). Filled by registerWasmTrainingKernels.
const stock = new Map<string, KernelConfig>();
// A wasm kernel binds its WebAssembly function in `setupFunc`, which the backend runs at start-up
// only for the kernels registered then; ours may have replaced the stock one before that.
const setUp = new WeakMap<KernelConfig, WeakSet<KernelBackend>>();

/** Remembers the stock kernel a registration is about to replace. Internal. */
export function rememberStockKernel(config: KernelConfig): void {
  stock.set(config.kernelName, config);
}

/**
 * Runs the stock kernel ours replaced on `args` (setting it up for this backend first if needed);
 * `undefined` when there was none.
 */
export function runStockKernel(
  kernelName: string,
  args: Parameters<KernelFunc>[0],
): ReturnType<KernelFunc> | undefined {
  const config = stock.get(kernelName);
  if (config === undefined) return undefined;
  const backend = args.backend as KernelBackend;
  if (config.setupFunc !== undefined) {
    let backends = setUp.get(config);
    if (backends === undefined) {
      backends = new WeakSet();
      setUp.set(config, backends);
    }
    if (!backends.has(backend)) {
      config.setupFunc(backend);
      backends.add(backend);
    }
  }
  return config.kernelFunc(args);
}

/**
 * The stock kernel's result for a case ours leave to it: every kernel of this package hands its
 * unusual cases over this way. `why` says which case, for the error.
 *
 * @throws WasmKernelError when there is no stock kernel to hand it to (the backend was imported
 *   after our kernels were registered, or not at all).
 */
export function stockKernelResult<Args>(
  kernelName: string,
  args: Args,
  why = `this ${kernelName}`,
): TensorInfo {
  const result = runStockKernel(kernelName, args as unknown as Parameters<KernelFunc>[0]);
  if (result === undefined) {
    throw new WasmKernelError(
      `@mnist/wasm-kernels: ${why} needs the stock wasm ${kernelName}, which was not registered before ours; import '@tensorflow/tfjs-backend-wasm' first`,
    );
  }
  return result as TensorInfo;
}
