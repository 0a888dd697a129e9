import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import {
  Cast,
  type CastAttrs,
  type CastInputs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { shareData } from './identity.js';
import { stockKernelResult } from './stock-kernels.js';

function cast(args: { inputs: CastInputs; backend: BackendWasm; attrs: CastAttrs }): TensorInfo {
  const x = args.inputs.x as TensorInfo;
  if (x.dtype === args.attrs.dtype && x.dtype !== 'string') return shareData(args.backend, x);
  return stockKernelResult(Cast, args);
}

/**
 * `Cast` for the WASM backend: a cast to the input's own dtype shares its data (tfjs's `Relu`
 * gradient casts the float32 `step(x)` to float32; the stock kernel copied it), as the `cpu`
 * backend does; every real conversion goes to the stock kernel.
 */
export const castConfig: KernelConfig = {
  kernelName: Cast,
  backendName: 'wasm',
  kernelFunc: cast as unknown as KernelFunc,
};
