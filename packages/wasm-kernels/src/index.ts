export { batchMatMulConfig } from './batch-mat-mul.js';
export { conv2DBackpropFilterConfig } from './conv2d-backprop-filter.js';
export { conv2DBackpropInputConfig } from './conv2d-backprop-input.js';
export { maxPoolGradConfig } from './max-pool-grad.js';
export { registerWasmTrainingKernels, wasmTrainingKernelConfigs } from './register-all.js';
export { WasmKernelError } from './wasm-kernel-error.js';
export type { WasmKernelErrorOptions } from './wasm-kernel-error.js';
export { hasRelaxedSimd, kernelBuild, setKernelBuild } from './simd-kernels.js';
export type { KernelBuild } from './simd-kernels.js';
