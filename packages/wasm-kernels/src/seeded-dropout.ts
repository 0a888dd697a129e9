import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { type KernelConfig, type KernelFunc, type TensorInfo, util } from '@tensorflow/tfjs-core';
import seedrandom from 'seedrandom';
import { checkFloat32Inputs } from './float32-inputs.js';
import { heapOffset } from './gemm.js';
import { simdKernels } from './simd-kernels.js';
import { WasmKernelError } from './wasm-kernel-error.js';

/** The name of this package's seeded dropout kernel (no tfjs kernel of that name exists). */
export const SeededDropout = 'SeededDropout';

/** Inputs of `SeededDropout`: the float32 tensor to drop values of. */
export interface SeededDropoutInputs {
  x: TensorInfo;
}

/** Attributes of `SeededDropout`: the rate, in (0, 1), and the seed, as `tf.dropout` takes them. */
export interface SeededDropoutAttrs {
  rate: number;
  seed: number | string;
}

/** The state seedrandom's Alea generator starts from for one seed (`{ state: true }`). */
interface AleaState {
  c: number;
  s0: number;
  s1: number;
  s2: number;
}

function seededDropout(args: {
  inputs: SeededDropoutInputs;
  backend: BackendWasm;
  attrs: SeededDropoutAttrs;
}): TensorInfo[] {
  const { inputs, backend, attrs } = args;
  const { x } = inputs;
  const { rate, seed } = attrs;
  checkFloat32Inputs(SeededDropout, { x });
  if (!(rate > 0 && rate < 1)) {
    throw new WasmKernelError(
      `@mnist/wasm-kernels: ${SeededDropout} takes a rate in (0, 1) (tf.dropout handles 0); got ${rate}`,
    );
  }
  // tfjs's UniformRandom seeds Alea with the seed as a string; the kernel takes over from there.
  const { c, s0, s1, s2 } = seedrandom.alea(String(seed), { state: true }).state() as AleaState;
  // tf.dropout's keepProb is a float32 scalar: 1 - rate rounded, and 1 / keep rounded again.
  const keep = Math.fround(1 - rate);
  const scale = Math.fround(1 / keep);
  const y = backend.makeOutput(x.shape, 'float32');
  const mask = backend.makeOutput(x.shape, 'float32');
  simdKernels(backend).dropout(
    heapOffset(backend, x),
    heapOffset(backend, y),
    heapOffset(backend, mask),
    util.sizeFromShape(x.shape),
    s0,
    s1,
    s2,
    c,
    keep,
    scale,
  );
  return [y, mask];
}

/**
 * `SeededDropout` for the WASM backend, this package's own kernel: `tf.dropout(x, rate, undefined,
 * seed)` to the bit, in one pass, and its mask, for the gradient (dy times the mask). tfjs draws
 * the mask's uniform values one at a time in JavaScript into a new tensor, then adds, floors,
 * divides and multiplies in four more passes; here seedrandom's Alea generator runs in WebAssembly
 * from the state that seed gives it, writing the mask and the output in place. Returns `[y, mask]`.
 */
export const seededDropoutConfig: KernelConfig = {
  kernelName: SeededDropout,
  backendName: 'wasm',
  kernelFunc: seededDropout as unknown as KernelFunc,
};
