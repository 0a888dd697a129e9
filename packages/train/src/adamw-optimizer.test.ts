import { readFileSync } from 'node:fs';
import '@tensorflow/tfjs-backend-cpu';
import { selectBackend } from '@mnist/runtime';
import {
  dispose,
  getKernel,
  type KernelConfig,
  memory,
  profile,
  registerKernel,
  setBackend,
  tensor,
  tensor1d,
  train,
  unregisterKernel,
  variable,
} from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { AdamWOptimizer } from './adamw-optimizer.js';

// torch.optim.AdamW's weights after each step, written by scripts/generate-torch-fixture.py.
const TORCH = JSON.parse(
  readFileSync(new URL('../test-fixtures/torch-reference.json', import.meta.url), 'utf8'),
) as {
  torchVersion: string;
  adamW: {
    initial: number[];
    weightDecay: number;
    rates: number[];
    gradients: number[][];
    after: number[][];
  };
};

beforeAll(async () => {
  await setBackend('cpu');
});

/** Runs `optimizer` over the fixture's gradients and rates; the weights after every step. */
function steps(optimizer: AdamWOptimizer | ReturnType<typeof train.adam>): Float32Array[] {
  const initial = tensor1d(TORCH.adamW.initial);
  const weights = variable(initial);
  initial.dispose();
  const after = TORCH.adamW.rates.map((rate, i) => {
    (optimizer as unknown as { learningRate: number }).learningRate = rate;
    const gradient = tensor1d(TORCH.adamW.gradients[i]!);
    optimizer.applyGradients([{ name: weights.name, tensor: gradient }]);
    gradient.dispose();
    return weights.dataSync() as Float32Array;
  });
  weights.dispose();
  optimizer.dispose();
  return after;
}

describe('AdamWOptimizer', () => {
  it('takes the steps of torch.optim.AdamW, the rate changing between steps', () => {
    const before = memory().numTensors;
    const ours = steps(new AdamWOptimizer(TORCH.adamW.rates[0]!, TORCH.adamW.weightDecay));
    expect(memory().numTensors).toBe(before);
    ours.forEach((weights, step) => {
      const expected = TORCH.adamW.after[step]!;
      weights.forEach((w, k) => {
        // Both in float32; torch divides by sqrt(1 - beta2^t) after the square root, tfjs before:
        // measured at most 6.6e-7 apart (3 ulps of weights near 2).
        expect(
          Math.abs(w - expected[k]!),
          `torch ${TORCH.torchVersion}, step ${step}, weight ${k}`,
        ).toBeLessThanOrEqual(1e-6);
      });
    });
    // The decay is visible: plain Adam ends elsewhere by far more than the tolerance.
    const plain = steps(new AdamWOptimizer(TORCH.adamW.rates[0]!, 0));
    const gap = Math.max(...plain.at(-1)!.map((w, k) => Math.abs(w - TORCH.adamW.after.at(-1)![k]!)));
    expect(gap).toBeGreaterThan(1e-4);
  });

  it('is tfjs Adam to the bit without weight decay', () => {
    const adam = steps(train.adam(TORCH.adamW.rates[0]!));
    const ours = steps(new AdamWOptimizer(TORCH.adamW.rates[0]!, 0));
    expect(ours).toEqual(adam);
  });
});

/** Bit patterns of float32 values. */
const bits = (values: Float32Array) => Array.from(new Uint32Array(values.slice().buffer));

/**
 * Three variables (of 4, 13 and 1,000 values: vector body and tails) trained for `steps` steps on
 * seeded gradients, the rate changing each step; every variable's and moment's bits after each step.
 */
async function trainVariables(optimizer: AdamWOptimizer, steps: number): Promise<number[][][]> {
  const shapes = [[4], [13], [10, 100]];
  let seed = 1;
  const next = () => {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    return seed / 2 ** 32 - 0.5;
  };
  const variables = shapes.map((shape) => {
    const initial = tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b) }, next), shape);
    const v = variable(initial);
    initial.dispose();
    return v;
  });
  const history: number[][][] = [];
  for (let step = 0; step < steps; step++) {
    (optimizer as unknown as { learningRate: number }).learningRate = 1e-3 * (1 + step);
    const gradients = variables.map((v) => ({
      name: v.name,
      tensor: tensor(Float32Array.from({ length: v.size }, next), v.shape),
    }));
    optimizer.applyGradients(gradients);
    dispose(gradients.map((g) => g.tensor));
    const weights = await optimizer.getWeights();
    history.push([
      ...variables.map((v) => bits(v.dataSync() as Float32Array)),
      ...weights.slice(1).map((w) => bits(w.tensor.dataSync() as Float32Array)),
    ]);
    weights[0]!.tensor.dispose();
  }
  dispose(variables);
  optimizer.dispose();
  return history;
}

describe('AdamWOptimizer on wasm, with the fused AdamUpdate kernel', () => {
  it.each([0, 0.05])(
    'gives the weights and moments of the unfused ops to the bit (weight decay %f), with flat memory',
    async (weightDecay) => {
      await selectBackend('wasm');
      const fused = getKernel('AdamUpdate', 'wasm') as KernelConfig;
      expect(fused, '@mnist/runtime registers the fused kernel for wasm').toBeDefined();
      const before = memory().numTensors;
      // The fused path runs the kernel, once per variable and step, and no elementwise op per variable.
      const run = await profile(() => trainVariables(new AdamWOptimizer(1e-3, weightDecay), 1));
      expect(run.kernels.filter((k) => k.name === 'AdamUpdate')).toHaveLength(3);
      expect(run.kernels.filter((k) => k.name === 'RealDiv')).toHaveLength(0);
      const withKernel = await trainVariables(new AdamWOptimizer(1e-3, weightDecay), 6);
      expect(memory().numTensors).toBe(before);
      unregisterKernel('AdamUpdate', 'wasm');
      try {
        const withOps = await trainVariables(new AdamWOptimizer(1e-3, weightDecay), 6);
        expect(withKernel).toEqual(withOps);
      } finally {
        registerKernel(fused);
      }
      await setBackend('cpu');
    },
  );
});
