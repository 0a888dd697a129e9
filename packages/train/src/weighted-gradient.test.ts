import { selectBackend } from '@mnist/runtime';
import {
  getKernel,
  type KernelConfig,
  memory,
  registerKernel,
  tensor,
  tidy,
  unregisterKernel,
} from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { weightedGradient } from './weighted-gradient.js';

const bits = (values: Float32Array) => Array.from(new Uint32Array(values.slice().buffer));

/** Seeded values in [-0.5, 0.5). */
function values(n: number, seed: number): Float32Array {
  let state = seed;
  return Float32Array.from({ length: n }, () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32 - 0.5;
  });
}

describe('weightedGradient', () => {
  it.each([[[32 / 64, 32 / 64]], [[31 / 63, 32 / 63]], [[17 / 50, 17 / 50, 16 / 50]]])(
    'gives the bits of mul and add on wasm with the ScaledAdd kernel and without (weights %j)',
    async (weights) => {
      await selectBackend('wasm');
      const fused = getKernel('ScaledAdd', 'wasm') as KernelConfig;
      expect(fused, '@mnist/runtime registers the ScaledAdd kernel for wasm').toBeDefined();
      const shape = [3, 7, 13];
      const own = values(273, 1);
      const fromThreads = weights.slice(1).map((_, k) => values(273, k + 2));
      const combine = () =>
        tidy(() => {
          const ownTensor = tensor(own, shape);
          return weightedGradient(ownTensor, fromThreads, weights, shape).dataSync() as Float32Array;
        });
      const before = memory().numTensors;
      const withKernel = combine();
      expect(memory().numTensors).toBe(before);
      unregisterKernel('ScaledAdd', 'wasm');
      let withOps: Float32Array;
      try {
        withOps = combine();
      } finally {
        registerKernel(fused);
      }
      expect(bits(withKernel)).toEqual(bits(withOps));
      // And the same numbers as the cpu backend's ops.
      await selectBackend('cpu');
      expect(bits(combine())).toEqual(bits(withKernel));
      await selectBackend('wasm');
    },
  );
});
