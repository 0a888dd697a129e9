import {
  getGradient,
  getKernel,
  type KernelConfig,
  registerGradient,
  registerKernel,
  unregisterKernel,
} from '@tensorflow/tfjs-core';
import { adamUpdateConfig } from './adam-update.js';
import { addConfig } from './add.js';
import { batchMatMulConfig } from './batch-mat-mul.js';
import { castConfig } from './cast.js';
import { fusedBatchNormConfig } from './batch-norm.js';
import { conv2DConfig } from './conv2d.js';
import { conv2DBackpropFilterConfig } from './conv2d-backprop-filter.js';
import { conv2DBackpropInputConfig } from './conv2d-backprop-input.js';
import { floorConfig } from './floor.js';
import { fusedConv2DConfig } from './fused-conv2d.js';
import { fusedMatMulConfig } from './fused-mat-mul.js';
import { identityConfig } from './identity.js';
import { maxPoolConfig } from './max-pool.js';
import { maxPoolGradConfig, maxPoolReluGradConfig } from './max-pool-grad.js';
import { meanConfig } from './mean.js';
import { multiplyConfig } from './multiply.js';
import { reluConfig } from './relu.js';
import { reluGradConfig, reluGradientConfig, rememberStockReluGradient } from './relu-grad.js';
import { scaledAddConfig } from './scaled-add.js';
import { seededDropoutConfig } from './seeded-dropout.js';
import { rememberStockKernel } from './stock-kernels.js';
import { sumConfig } from './sum.js';
import { tileConfig } from './tile.js';

/** Every kernel this package provides for the `wasm` backend. */
export const wasmTrainingKernelConfigs: KernelConfig[] = [
  conv2DConfig,
  fusedConv2DConfig,
  conv2DBackpropFilterConfig,
  conv2DBackpropInputConfig,
  maxPoolConfig,
  maxPoolGradConfig,
  batchMatMulConfig,
  fusedMatMulConfig,
  sumConfig,
  meanConfig,
  tileConfig,
  fusedBatchNormConfig,
  addConfig,
  multiplyConfig,
  reluConfig,
  floorConfig,
  identityConfig,
  castConfig,
  adamUpdateConfig,
  scaledAddConfig,
  reluGradConfig,
  maxPoolReluGradConfig,
  seededDropoutConfig,
];

/**
 * Registers the training kernels for the `wasm` backend, replacing the stock `Conv2D`,
 * `FusedConv2D`, `Conv2DBackpropInput`, `MaxPool`, `MaxPoolGrad`, `BatchMatMul`, `_FusedMatMul`, `Sum`, `Mean`,
 * `Tile`, `FusedBatchNorm`, `Add`, `Multiply`, `Relu`, `Floor`, `Identity` and `Cast` (the
 * cases ours do not cover still run the stock kernels), and adds five kernels of our own:
 * `AdamUpdate`, a fused Adam step, `ScaledAdd`, a weighted sum, `ReluGrad`, which the `Relu`
 * gradient it registers runs on wasm (other backends keep tfjs-core's gradient),
 * `MaxPoolReluGrad`, the gradient of a max pool over a ReLU's output in one pass (what
 * `@mnist/train`'s fused conv layers run), and `SeededDropout`, `tf.dropout`'s output and mask in
 * one pass (what its training forward pass runs for dropout layers). Idempotent; call it once before
 * training (before or after `tf.setBackend`). It does not import the backend itself: the app does
 * (`import '@tensorflow/tfjs-backend-wasm'`).
 */
export function registerWasmTrainingKernels(): void {
  for (const config of wasmTrainingKernelConfigs) {
    const current = getKernel(config.kernelName, config.backendName);
    if (current?.kernelFunc === config.kernelFunc) continue;
    if (current !== undefined) {
      if (!wasmTrainingKernelConfigs.some((ours) => ours.kernelFunc === current.kernelFunc)) {
        rememberStockKernel(current);
      }
      unregisterKernel(config.kernelName, config.backendName);
    }
    registerKernel(config);
  }
  // tfjs's relu gradient is three passes (Step, Cast, Multiply); ours runs ReluGrad where it exists.
  if (getGradient(reluGradientConfig.kernelName) !== reluGradientConfig) {
    rememberStockReluGradient();
    registerGradient(reluGradientConfig);
  }
}
