import { MnistError } from '@mnist/core';
import type { ImageSet } from '@mnist/data';
import { argmaxRows, evaluatePredictions } from '@mnist/metrics';
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { type LayersModel, layers, sequential } from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createModel } from './create-model.js';
import { evaluateModel } from './evaluate-model.js';
import { EvaluationInputError } from './evaluation-input-error.js';
import { ImageShapeError } from './image-shape-error.js';

// A tiny CNN (one 3x3x4 conv, pool, dropout, 16-unit dense): real conv, pool and dropout layers at
// a fraction of the default model's cost.
const TINY_MODEL = {
  convLayers: 1,
  filters: 4,
  kernelSize: 3,
  poolAfter: [0],
  dropout: 0.25,
  denseUnits: 16,
};
const COUNT = 37; // not a multiple of the batch sizes below: the last batch is short

let model: LayersModel;
let set: ImageSet;

/** `count` images of seeded noise in [0, 1) with seeded labels. */
function noiseSet(count: number, rows = 28, cols = 28): ImageSet {
  let state = 2024;
  const next = () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 2 ** 32;
  };
  const images = Float32Array.from({ length: count * rows * cols }, next);
  const labels = Uint8Array.from({ length: count }, () => Math.floor(next() * 10));
  return { images, labels, count, rows, cols };
}

function sameBytes(a: Float32Array, b: Float32Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(
    Buffer.from(b.buffer, b.byteOffset, b.byteLength),
  );
}

async function expectInputError(run: Promise<unknown>, argument: string, message: RegExp): Promise<void> {
  const error = await run.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(EvaluationInputError);
  expect(EvaluationInputError.isInstance(error)).toBe(true);
  expect(MnistError.isInstance(error)).toBe(true);
  expect(ImageShapeError.isInstance(error)).toBe(false);
  expect((error as EvaluationInputError).argument).toBe(argument);
  expect((error as EvaluationInputError).message).toMatch(message);
}

beforeAll(async () => {
  await tf.setBackend('cpu');
  model = createModel(TINY_MODEL, { seed: 3 });
  set = noiseSet(COUNT);
});
afterAll(() => model.dispose());

describe('evaluateModel', () => {
  it('scores every image in batches, in inference mode, with evaluatePredictions of @mnist/metrics', async () => {
    const before = tf.memory().numTensors;
    const evaluation = await evaluateModel(model, set, { batchSize: 8 });
    expect(tf.memory().numTensors).toBe(before);

    const { report, predictions, probabilities } = evaluation;
    expect(probabilities).toHaveLength(COUNT * 10);
    expect(report).toEqual(evaluatePredictions(set.labels, probabilities));
    expect(report.count).toBe(COUNT);
    expect(Array.from(predictions)).toEqual(Array.from(argmaxRows(probabilities)));

    // The whole set in one inference call gives the same probabilities: batching and the short
    // last batch change nothing, and dropout is off (a second call repeats them bit for bit).
    const whole = tf.tidy(() =>
      (model.predict(tf.tensor4d(set.images, [COUNT, 28, 28, 1])) as tf.Tensor).dataSync(),
    ) as Float32Array;
    for (let i = 0; i < whole.length; i++) expect(probabilities[i]).toBeCloseTo(whole[i]!, 6);
    const again = await evaluateModel(model, set);
    expect(sameBytes(again.probabilities, probabilities)).toBe(true);
    expect(again.report).toEqual(report);
  });

  it('counts the misclassified images and lists the most confident of them on request', async () => {
    const { predictions, probabilities, misclassified } = await evaluateModel(model, set, {
      misclassified: 5,
    });
    const wrong = Array.from(set.labels.keys()).filter((i) => predictions[i] !== set.labels[i]);
    expect(wrong.length).toBeGreaterThan(5); // an untrained model on noise: mostly wrong
    expect(misclassified.count).toBe(wrong.length);
    expect(misclassified.examples).toHaveLength(5);
    for (const example of misclassified.examples) {
      const { index } = example;
      expect(example).toEqual({
        index,
        label: set.labels[index],
        predicted: predictions[index],
        confidence: probabilities[index * 10 + predictions[index]!],
        trueProbability: probabilities[index * 10 + set.labels[index]!],
      });
    }
    // The five with the highest probability on their wrong digit, highest first.
    const byConfidence = wrong
      .map((i) => probabilities[i * 10 + predictions[i]!]!)
      .sort((a, b) => b - a)
      .slice(0, 5);
    expect(misclassified.examples.map((m) => m.confidence)).toEqual(byConfidence);

    const none = await evaluateModel(model, set);
    expect(none.misclassified).toEqual({ count: wrong.length, examples: [] });
    const all = await evaluateModel(model, set, { misclassified: COUNT });
    expect(all.misclassified.examples).toHaveLength(wrong.length);
  });

  it('orders equally confident mistakes by index', async () => {
    // Zero weights: every image gets probability 0.1 for each digit, so every prediction is 0
    // (ties go to the lowest digit) with the same confidence.
    const uniform = sequential({
      layers: [
        layers.flatten({ inputShape: [28, 28, 1] }),
        layers.dense({ units: 10, activation: 'softmax', kernelInitializer: 'zeros' }),
      ],
    });
    const { misclassified } = await evaluateModel(uniform, set, { misclassified: COUNT });
    const notZero = Array.from(set.labels.keys()).filter((i) => set.labels[i] !== 0);
    expect(misclassified.examples.map((m) => m.index)).toEqual(notZero);
    for (const m of misclassified.examples) {
      expect(m.predicted).toBe(0);
      expect(m.confidence).toBeCloseTo(0.1, 6);
    }
    uniform.dispose();
  });

  it('refuses bad options, naming them', async () => {
    for (const batchSize of [0, -1, 1.5, Number.NaN]) {
      await expectInputError(
        evaluateModel(model, set, { batchSize }),
        'options.batchSize',
        /"batchSize" must be a positive integer/,
      );
    }
    for (const count of [-1, 2.5]) {
      await expectInputError(
        evaluateModel(model, set, { misclassified: count }),
        'options.misclassified',
        /"misclassified" must be a non-negative integer/,
      );
    }
  });

  it('refuses a set that is empty, inconsistent or does not fit the model, before any tensor is made', async () => {
    const before = tf.memory().numTensors;
    await expectInputError(
      evaluateModel(model, noiseSet(2, 14, 14)),
      'set',
      /set holds 14x14 images but the model takes 28x28/,
    );
    await expectInputError(evaluateModel(model, noiseSet(0)), 'set', /set has no images/);
    await expectInputError(
      evaluateModel(model, { ...set, labels: set.labels.subarray(1) }),
      'set',
      /set.labels has 36 labels for 37 images/,
    );
    await expectInputError(
      evaluateModel(model, { ...set, images: set.images.subarray(784) }),
      'set',
      /set.images has 28224 pixels, expected count \* rows \* cols = 29008/,
    );
    expect(tf.memory().numTensors).toBe(before);

    const fiveClasses = sequential({
      layers: [
        layers.flatten({ inputShape: [28, 28, 1] }),
        layers.dense({ units: 5, activation: 'softmax' }),
      ],
    });
    await expectInputError(
      evaluateModel(fiveClasses, set),
      'model',
      /one output of 10 probabilities per image; this model returns shape \[,5\]/,
    );
    fiveClasses.dispose();
  });
});
