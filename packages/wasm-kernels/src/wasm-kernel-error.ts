import { MnistError } from '@mnist/core';

/**
 * Thrown when a training kernel cannot run on the backend it was handed: the tfjs WASM backend is
 * not loaded, one of the stock kernels ours are built on is missing, or an input has a dtype the
 * kernel does not support.
 */
export class WasmKernelError extends MnistError {}
