import { readFileSync } from 'node:fs';
import '@tensorflow/tfjs-backend-cpu';
import { memory, setBackend, tensor1d, train, variable } from '@tensorflow/tfjs-core';
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
