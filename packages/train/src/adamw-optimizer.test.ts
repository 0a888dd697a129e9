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
        // Both in float32, the bias corrections folded as torch folds them; torch divides by
        // sqrt(1 - beta2^t) where we multiply by its inverse, and its beta powers are float64.
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

  it("without weight decay takes tfjs Adam's steps: its moments to the bit, the weights to a few ulps", async () => {
    const adam = await trainVariables(train.adam(1e-3) as unknown as AdamWOptimizer, 6);
    const ours = await trainVariables(new AdamWOptimizer(1e-3, 0), 6);
    let differing = 0;
    let allowance = 0;
    ours.forEach((step, t) => {
      // [three variables, then their first and second moments]
      expect(step.slice(3), `moments after step ${t}`).toEqual(adam[t]!.slice(3));
      // The moments agree, so only the update differs: in its last few bits (a handful of roundings
      // each side; a step is at most about the rate, 1e-3 * (t + 1) in trainVariables), and the sum
      // with the weight can round one ulp of the weight the other way. Both add up over the steps.
      allowance += 2 ** -20 * 1e-3 * (t + 1);
      step.slice(0, 3).forEach((variableBits, j) => {
        const theirs = new Float32Array(Uint32Array.from(adam[t]![j]!).buffer);
        const mine = new Float32Array(Uint32Array.from(variableBits).buffer);
        mine.forEach((w, k) => {
          const ulp = 2 ** (Math.floor(Math.log2(Math.abs(theirs[k]!))) - 23);
          expect(Math.abs(w - theirs[k]!), `step ${t}, variable ${j}, weight ${k}`).toBeLessThanOrEqual(
            (t + 1) * ulp + allowance,
          );
          if (w !== theirs[k]) differing++;
        });
      });
    });
    // The two arrangements do round differently somewhere.
    expect(differing).toBeGreaterThan(0);
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
