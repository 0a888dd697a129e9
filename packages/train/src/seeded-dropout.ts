import { SeededDropout } from '@mnist/wasm-kernels';
import {
  customGrad,
  dropout,
  engine,
  getBackend,
  getKernel,
  type GradSaveFunc,
  mul,
  type Tensor,
} from '@tensorflow/tfjs-core';

/**
 * `tf.dropout(x, rate, undefined, seed)` for training, as one `SeededDropout` kernel call where the
 * backend has it (`wasm` with `@mnist/wasm-kernels`), with its own gradient, dy times the mask: the
 * gradient tfjs's `mul(x, mask)` gives x. tfjs's dropout draws the mask's uniform values in
 * JavaScript into a new tensor and then runs four kernels over it (add, floor, divide, multiply);
 * the kernel draws the same values from the same generator in WebAssembly and writes the same mask
 * and output in one pass, so training keeps its bits. Elsewhere it is `tf.dropout`. Internal.
 */
export function seededDropout(x: Tensor, rate: number, seed: number): Tensor {
  if (getKernel(SeededDropout, getBackend()) === undefined) return dropout(x, rate, undefined, seed);
  return customGrad((...args: (Tensor | GradSaveFunc)[]) => {
    const [input, save] = args as [Tensor, GradSaveFunc];
    const [output, mask] = engine().runKernel(SeededDropout, { x: input }, { rate, seed }) as Tensor[];
    save([mask!]);
    return { value: output!, gradFunc: (dy: Tensor, saved: Tensor[]) => mul(dy, saved[0]!) };
  })(x);
}
