import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import {
  cast,
  engine,
  type GradConfig,
  getBackend,
  getGradient,
  getKernel,
  type KernelConfig,
  type KernelFunc,
  mul,
  Relu,
  step,
  type Tensor,
  type TensorInfo,
  util,
} from '@tensorflow/tfjs-core';
import { checkFloat32Inputs } from './float32-inputs.js';
import { heapOffset } from './gemm.js';
import { simdKernels } from './simd-kernels.js';

/** The name of this package's relu gradient kernel (tfjs has none: it composes three ops). */
export const ReluGrad = 'ReluGrad';

function reluGrad(args: { inputs: { dy: TensorInfo; x: TensorInfo }; backend: BackendWasm }): TensorInfo {
  const { inputs, backend } = args;
  const { dy, x } = inputs;
  checkFloat32Inputs(ReluGrad, { dy, x });
  const out = backend.makeOutput(x.shape, 'float32');
  simdKernels(backend).relu_grad(
    heapOffset(backend, x),
    heapOffset(backend, dy),
    heapOffset(backend, out),
    util.sizeFromShape(x.shape),
  );
  return out;
}

/**
 * `ReluGrad` for the WASM backend, this package's own kernel: `dy * step(x)` (the step 1, 0 or NaN
 * as tfjs's `Step`) in one SIMD pass, the product tfjs's relu gradient `mul(dy, cast(step(x)))`
 * computes in three passes (two of them over the whole activation), to the bit.
 */
export const reluGradConfig: KernelConfig = {
  kernelName: ReluGrad,
  backendName: 'wasm',
  kernelFunc: reluGrad as unknown as KernelFunc,
};

// tfjs-core's own relu gradient, kept for every backend without our kernel. Its registry is filled
// when tfjs-layers (or tfjs-core's gradients entry) loads; before that there is none to keep, and
// the same three ops are spelled out.
let stockGradient: GradConfig | undefined;

/**
 * The `Relu` gradient that runs our `ReluGrad` kernel on a backend that has it (`wasm` with these
 * kernels) and tfjs-core's own gradient everywhere else: the same values on every backend. Internal.
 */
export const reluGradientConfig: GradConfig = {
  kernelName: Relu,
  inputsToSave: ['x'],
  gradFunc: (dy, saved, attrs) => {
    if (getKernel(ReluGrad, getBackend()) === undefined) {
      if (stockGradient !== undefined) return stockGradient.gradFunc(dy, saved, attrs);
      const [x] = saved as Tensor[];
      return { x: () => mul(dy as Tensor, cast(step(x!), 'float32')) };
    }
    const [x] = saved as Tensor[];
    return { x: () => engine().runKernel(ReluGrad, { dy: dy as Tensor, x: x! }) as Tensor };
  },
};

/** Keeps tfjs-core's relu gradient (once, before ours replaces it) for the other backends. Internal. */
export function rememberStockReluGradient(): void {
  const current = getGradient(Relu);
  if (current !== undefined && current !== reluGradientConfig) stockGradient = current;
}
