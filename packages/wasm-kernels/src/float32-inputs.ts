import { type TensorInfo, util } from '@tensorflow/tfjs-core';
import { WasmKernelError } from './wasm-kernel-error.js';

/**
 * Checks that every input of one of our own kernels (`AdamUpdate`, `ScaledAdd`, `ReluGrad`: no
 * stock kernel to hand other cases to) is float32 of the first input's shape. Internal.
 *
 * @throws WasmKernelError naming the first input that is not, and what it is.
 */
export function checkFloat32Inputs(kernelName: string, inputs: Record<string, TensorInfo>): void {
  const entries = Object.entries(inputs);
  const [firstName, first] = entries[0]!;
  for (const [name, t] of entries) {
    if (t.dtype !== 'float32' || !util.arraysEqual(t.shape, first.shape)) {
      throw new WasmKernelError(
        `@mnist/wasm-kernels: ${kernelName} takes float32 ${entries.map(([n]) => n).join(', ')} of one shape; '${name}' is ${t.dtype} [${t.shape.join(', ')}], '${firstName}' [${first.shape.join(', ')}]`,
      );
    }
  }
}
