import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import {
  Identity,
  type IdentityInputs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { stockKernelResult } from './stock-kernels.js';

/**
 * The input's own data under a new reference, as the `cpu` backend's `Identity` and the wasm
 * backend's `Reshape` do: no kernel of tfjs or of ours writes into its inputs, so a shared buffer is
 * as good as a copy. Internal.
 */
export function shareData(backend: BackendWasm, x: TensorInfo): TensorInfo {
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}

function identity(args: { inputs: IdentityInputs; backend: BackendWasm }): TensorInfo {
  const x = args.inputs.x as TensorInfo;
  if (x.dtype === 'string') return stockKernelResult(Identity, args, 'Identity of strings');
  return shareData(args.backend, x);
}

/**
 * `Identity` for the WASM backend: shares the input's data instead of copying it. The gradient tape
 * clones every tensor a gradient needs later through `Identity` (about 50 per training step of the
 * default CNN, each a full copy in the stock kernel).
 */
export const identityConfig: KernelConfig = {
  kernelName: Identity,
  backendName: 'wasm',
  kernelFunc: identity as unknown as KernelFunc,
};
