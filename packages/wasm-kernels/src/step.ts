import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import {
  type KernelConfig,
  type KernelFunc,
  Step,
  type StepAttrs,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { simdUnary } from './elementwise-unary.js';

/**
 * `Step` for the WASM backend: `x > 0 ? 1 : alpha`, NaN kept (the stock kernel's values), in one
 * SIMD pass. tfjs's `Relu` gradient is `dy * cast(step(x))`: the stock kernel was a scalar loop
 * that cost more than the product.
 */
export const stepConfig: KernelConfig = {
  kernelName: Step,
  backendName: 'wasm',
  kernelFunc: ((args: { inputs: { x?: TensorInfo }; backend: BackendWasm; attrs: StepAttrs }) =>
    simdUnary(Step, 'step', args, args.attrs.alpha)) as unknown as KernelFunc,
};
