import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { type KernelConfig, type KernelFunc, type TensorInfo, util } from '@tensorflow/tfjs-core';
import seedrandom from 'seedrandom';
import { ALEA_FRACTION, type AleaState, aleaStrideStates } from './alea-jump.js';
import { checkFloat32Inputs } from './float32-inputs.js';
import { allocScratch, heapOffset } from './gemm.js';
import { DROPOUT_CHAINS } from './generated/kernel-binaries.js';
import { backendMemory, simdKernels } from './simd-kernels.js';
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

/**
 * Values each of the DROPOUT_CHAINS chains draws (the rest follow one at a time): about n / chains,
 * as an odd multiple of 16. The chains' x, y and mask positions are then `chunk * 4` bytes apart,
 * an odd number of 64-byte cache lines, so they fall in different sets of the L1 cache; with a
 * chunk a multiple of 1024 (batch 128 of the default model is 9,216 a chain) all 24 streams hit
 * one set, and measured on an AMD EPYC the kernel ran at a third of its speed.
 */
function chainChunk(n: number): number {
  const lines = Math.floor(n / DROPOUT_CHAINS / 16);
  return 16 * Math.max(0, lines % 2 === 1 ? lines : lines - 1);
}

/**
 * The least value of the generator (a multiple of 2^-32 in [0, 1)) that keeps its element: where
 * float32(u) + keep, added in float32, reaches 1 (both steps are monotonic, so every value from it
 * on keeps its element and none below); 1 when none does. Binary search over the 2^32 values.
 */
export function dropoutThreshold(keep: number): number {
  const keeps = (word: number) => Math.fround(Math.fround(word / ALEA_FRACTION) + keep) >= 1;
  let low = 0;
  let high = ALEA_FRACTION;
  while (low < high) {
    const middle = Math.floor((low + high) / 2);
    if (keeps(middle)) high = middle;
    else low = middle + 1;
  }
  return low / ALEA_FRACTION;
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
  const start = seedrandom.alea(String(seed), { state: true }).state() as AleaState;
  // tf.dropout's keepProb is a float32 scalar: 1 - rate rounded, and 1 / keep rounded again.
  const keep = Math.fround(1 - rate);
  const scale = Math.fround(1 / keep);
  const n = util.sizeFromShape(x.shape);
  const chunk = chainChunk(n);
  const states = aleaStrideStates(start, chunk, DROPOUT_CHAINS + 1);
  const y = backend.makeOutput(x.shape, 'float32');
  const mask = backend.makeOutput(x.shape, 'float32');
  // (DROPOUT_CHAINS / 2 vectors + the tail) x 4 words, float64.
  const stateFloats = (DROPOUT_CHAINS + 1) * 4 * 2;
  const scratch = allocScratch(backend, stateFloats);
  try {
    // The view is made after every allocation: a growing heap replaces the buffer.
    const words = new Float64Array(backendMemory(backend).buffer, scratch.offset, stateFloats / 2);
    for (let j = 0; j < DROPOUT_CHAINS; j++) {
      const { s0, s1, s2, c } = states[j]!;
      const at = (j >> 1) * 8 + (j & 1);
      words[at] = s0;
      words[at + 2] = s1;
      words[at + 4] = s2;
      words[at + 6] = c;
    }
    const tail = states[DROPOUT_CHAINS]!;
    words.set([tail.s0, tail.s1, tail.s2, tail.c], (DROPOUT_CHAINS / 2) * 8);
    simdKernels(backend).dropout(
      heapOffset(backend, x),
      heapOffset(backend, y),
      heapOffset(backend, mask),
      n,
      chunk,
      scratch.offset,
      keep,
      scale,
      dropoutThreshold(keep),
    );
  } finally {
    backend.disposeData(scratch.info.dataId);
  }
  return [y, mask];
}

/**
 * `SeededDropout` for the WASM backend, this package's own kernel: `tf.dropout(x, rate, undefined,
 * seed)` to the bit, in one pass, and its mask, for the gradient (dy times the mask). tfjs draws
 * the mask's uniform values one at a time in JavaScript into a new tensor, then adds, floors,
 * divides and multiplies in four more passes; here seedrandom's Alea generator runs in WebAssembly
 * from the state that seed gives it, writing the mask and the output in place: as eight chains
 * side by side, each drawing its own stretch of the sequence from the state the generator reaches
 * there (a jump computed in closed form, `aleaStrideStates`), because one chain, each value waiting
 * on the one before, runs at a few percent of memory's speed. Returns `[y, mask]`.
 */
export const seededDropoutConfig: KernelConfig = {
  kernelName: SeededDropout,
  backendName: 'wasm',
  kernelFunc: seededDropout as unknown as KernelFunc,
};
