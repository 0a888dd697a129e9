import { NUM_CLASSES } from '@mnist/core';
import { CROSS_ENTROPY_EPSILON, logLoss } from '@mnist/metrics';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { memory, setBackend, tensor2d, tidy } from '@tensorflow/tfjs-core';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { meanCrossEntropy, sampleCrossEntropy } from './batch-statistics.js';

// torch.nn.CrossEntropyLoss(label_smoothing=s), written by scripts/generate-torch-fixture.py.
const TORCH = JSON.parse(
  readFileSync(new URL('../test-fixtures/torch-reference.json', import.meta.url), 'utf8'),
) as {
  torchVersion: string;
  labelSmoothing: {
    probabilities: number[];
    labels: number[];
    cases: { labelSmoothing: number; loss: number }[];
  };
};

// True-class probabilities below, at and beyond both clip bounds (fround(1e-7) and 1 - 2^-23 as
// float32 holds them), and ordinary ones in between.
const EDGE_PROBABILITIES = [
  0,
  1e-30,
  1e-9,
  5e-8,
  CROSS_ENTROPY_EPSILON,
  Math.fround(CROSS_ENTROPY_EPSILON),
  1.5e-7,
  1e-4,
  0.01,
  0.3,
  0.5,
  0.9,
  0.999,
  1 - 2 ** -22,
  1 - 2 ** -23,
  1 - 2 ** -24,
  1 - CROSS_ENTROPY_EPSILON,
  1,
];
const RANDOM_ROWS = 200;

// Both paths round differently only in the log and the sum: float32 tensors vs float64 here.
// A few float32 ulps (2^-24 each) per sample; the batch mean adds the float32 sum's rounding.
const SAMPLE_TOLERANCE = 2 ** -21;
const MEAN_TOLERANCE = 1e-6;

/** The edge rows (true class `i % 10`, the rest of the mass spread evenly), then seeded softmax rows. */
function makeProbabilities(): { labels: Uint8Array; probabilities: Float32Array } {
  const count = EDGE_PROBABILITIES.length + RANDOM_ROWS;
  const labels = new Uint8Array(count);
  const probabilities = new Float32Array(count * NUM_CLASSES);
  EDGE_PROBABILITIES.forEach((p, i) => {
    labels[i] = i % NUM_CLASSES;
    probabilities.fill((1 - p) / (NUM_CLASSES - 1), i * NUM_CLASSES, (i + 1) * NUM_CLASSES);
    probabilities[i * NUM_CLASSES + labels[i]!] = p;
  });
  let state = 12345;
  const next = () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 2 ** 32;
  };
  for (let row = EDGE_PROBABILITIES.length; row < count; row++) {
    labels[row] = Math.floor(next() * NUM_CLASSES);
    // Logits in ±10, and the true class's pushed 25 up or down in a third of the rows each: some
    // true-class probabilities far below the clip, some rounding to 1 in float32.
    const shift = [0, 25, -25][row % 3]!;
    const exps = Array.from({ length: NUM_CLASSES }, (_, k) =>
      Math.exp((next() - 0.5) * 20 + (k === labels[row] ? shift : 0)),
    );
    const total = exps.reduce((a, b) => a + b, 0);
    exps.forEach((e, k) => {
      probabilities[row * NUM_CLASSES + k] = e / total;
    });
  }
  return { labels, probabilities };
}

function oneHot(labels: Uint8Array): Float32Array {
  const out = new Float32Array(labels.length * NUM_CLASSES);
  labels.forEach((label, i) => {
    out[i * NUM_CLASSES + label] = 1;
  });
  return out;
}

function relativeError(actual: number, expected: number): number {
  return Math.abs(actual - expected) / Math.abs(expected);
}

describe.each(['cpu', 'wasm'])('the training loss on %s and logLoss of @mnist/metrics', (backend) => {
  it('are one definition: the same loss per sample and per batch, at and beyond the clip too', async () => {
    expect(await setBackend(backend)).toBe(true);
    const { labels, probabilities } = makeProbabilities();
    const count = labels.length;
    // The random rows do reach beyond both bounds, so the clip is exercised there as well.
    const trueProbabilities = Array.from(labels, (label, i) => probabilities[i * NUM_CLASSES + label]!);
    const random = trueProbabilities.slice(EDGE_PROBABILITIES.length);
    expect(random.some((p) => p < Math.fround(CROSS_ENTROPY_EPSILON))).toBe(true);
    expect(random.some((p) => p > 1 - 2 ** -23)).toBe(true);

    const before = memory().numTensors;
    const p = tensor2d(probabilities, [count, NUM_CLASSES]);
    const y = tensor2d(oneHot(labels), [count, NUM_CLASSES]);
    // Inside tidy, as the step runners call them: they make intermediates.
    const [perSample, batchMean] = tidy(() => [sampleCrossEntropy(p, y), meanCrossEntropy(p, y)]);
    const tensorLosses = await perSample.data<'float32'>();
    const tensorMean = (await batchMean.data<'float32'>())[0]!;
    for (const t of [p, y, perSample!, batchMean!]) t.dispose();
    expect(memory().numTensors).toBe(before);

    for (let i = 0; i < count; i++) {
      const row = probabilities.subarray(i * NUM_CLASSES, (i + 1) * NUM_CLASSES);
      const expected = logLoss([labels[i]!], row, NUM_CLASSES);
      expect(
        relativeError(tensorLosses[i]!, expected),
        `row ${i}: p = ${trueProbabilities[i]}, tensor ${tensorLosses[i]} vs metrics ${expected}`,
      ).toBeLessThanOrEqual(SAMPLE_TOLERANCE);
    }
    // The clip's two ends, exactly: a confident mistake and a certain right answer.
    expect(tensorLosses[0]).toBeCloseTo(-Math.log(Math.fround(CROSS_ENTROPY_EPSILON)), 5);
    expect(
      relativeError(tensorLosses[EDGE_PROBABILITIES.length - 1]!, -Math.log(1 - 2 ** -23)),
    ).toBeLessThanOrEqual(SAMPLE_TOLERANCE);

    const typedMean = logLoss(labels, probabilities, NUM_CLASSES);
    expect(relativeError(tensorMean, typedMean)).toBeLessThanOrEqual(MEAN_TOLERANCE);
    // The typed-array path does not depend on the array type either.
    expect(logLoss(labels, Float64Array.from(probabilities), NUM_CLASSES)).toBe(typedMean);
  });

  it("smooths the labels as PyTorch's CrossEntropyLoss(label_smoothing), and 0 changes nothing", async () => {
    await setBackend('cpu');
    const { probabilities, labels, cases } = TORCH.labelSmoothing;
    const count = labels.length;
    const before = memory().numTensors;
    const p = tensor2d(probabilities, [count, NUM_CLASSES]);
    const y = tensor2d(oneHot(Uint8Array.from(labels)), [count, NUM_CLASSES]);
    for (const { labelSmoothing, loss } of cases) {
      const ours = tidy(() => meanCrossEntropy(p, y, labelSmoothing));
      const value = (await ours.data<'float32'>())[0]!;
      ours.dispose();
      // float32 against torch's float64.
      expect(
        relativeError(value, loss),
        `label smoothing ${labelSmoothing}: ${value} vs torch ${loss}`,
      ).toBeLessThanOrEqual(1e-6);
    }
    expect(cases.map((c) => c.labelSmoothing)).toContain(0.25);
    expect(new Set(cases.map((c) => c.loss)).size).toBe(cases.length);
    // 0 takes the unsmoothed path: the same float32 bits as without the argument.
    const [plain, zero] = tidy(() => [meanCrossEntropy(p, y), meanCrossEntropy(p, y, 0)]);
    expect(await zero!.data()).toEqual(await plain!.data());
    for (const t of [p, y, plain!, zero!]) t.dispose();
    expect(memory().numTensors).toBe(before);
  });
});
