import type { TrainValidationSplit } from '@mnist/data';
import { memory } from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { measureLossAndAccuracy } from './measure-loss-and-accuracy.js';
import { figures, loadTinySplit, type TinyRunOptions, trainTiny, weightValues } from './test-support.js';
import type { TrainingState } from './training-state.js';
import { decodeTrainingState, encodeTrainingState } from './training-state-codec.js';
import type { TrainingConfigInput } from './training-types.js';

// Training with augmentation on: reproducible per seed on 1 and on 2 threads, exact across a
// stop and resume (the augmentation of a batch derives from its place, not from any state), and
// applied to training batches only.
const SEED = 17;
const AUGMENTATION = {
  rotationDegrees: 12,
  scale: 0.1,
  shift: 0.1,
  shear: 5,
  elastic: { alpha: 20, sigma: 4 },
};
const CONFIG: TrainingConfigInput & { seed: number } = {
  batchSize: 32,
  seed: SEED,
  epochs: 2,
  earlyStopping: null,
  augmentation: AUGMENTATION,
};

let split: TrainValidationSplit;

beforeAll(async () => {
  // 400 training images: 13 batches of 32, the last one 16.
  split = await loadTinySplit(400, 100);
}, 60_000);

function maxAbsDifference(a: Float32Array[], b: Float32Array[]): number {
  let max = 0;
  a.forEach((values, i) => {
    values.forEach((value, j) => {
      max = Math.max(max, Math.abs(value - b[i]![j]!));
    });
  });
  return max;
}

function run(options: TinyRunOptions) {
  return trainTiny(split, CONFIG, options);
}

describe('train with augmentation', { timeout: 240_000 }, () => {
  for (const threads of [1, 2]) {
    it(`on ${threads} thread${threads > 1 ? 's' : ''}: same seed, same weights; and other weights than without it`, async () => {
      const before = memory().numTensors;
      const a = await run({ config: { threads } });
      const b = await run({ config: { threads } });
      expect(a.result.threads).toBe(threads);
      expect(a.result.config.augmentation).toEqual(AUGMENTATION);
      expect(figures(b.result.history)).toEqual(figures(a.result.history));
      expect(weightValues(b.model)).toEqual(weightValues(a.model));
      const plain = await run({ config: { threads, augmentation: null } });
      expect(weightValues(plain.model)).not.toEqual(weightValues(a.model));
      expect(a.result.history[0]!.loss).not.toBe(plain.result.history[0]!.loss);
      for (const { model } of [a, b, plain]) model.dispose();
      expect(memory().numTensors).toBe(before);
    });

    it(`on ${threads} thread${threads > 1 ? 's' : ''}: resumes from a checkpoint inside an epoch to exactly the uninterrupted run`, async () => {
      const states: TrainingState[] = [];
      const whole = await run({ config: { threads }, every: 5, states });
      for (const state of [
        states.find((s) => s.epoch === 0 && s.batch === 5)!,
        states.find((s) => s.epoch === 1 && s.batch === 10)!,
      ]) {
        const before = memory().numTensors;
        const resumed = await run({
          config: { threads },
          resumeFrom: decodeTrainingState(encodeTrainingState(state)).state,
        });
        expect(figures(resumed.result.history), `from ${state.epoch}/${state.batch}`).toEqual(
          figures(whole.result.history),
        );
        expect(weightValues(resumed.model)).toEqual(weightValues(whole.model));
        expect(memory().numTensors).toBe(before + resumed.model.weights.length);
        resumed.model.dispose();
      }
      whole.model.dispose();
    });
  }

  it('augments each image alike on any thread count: without dropout, 1 and 3 threads take the same steps', async () => {
    // Each thread augments its own slice, seeded by the images' places in the epoch; if a thread
    // drew other transforms (or none), its slice's gradients would differ by far more than rounding.
    const one = await run({ config: { threads: 1 }, dropout: 0 });
    const three = await run({ config: { threads: 3 }, dropout: 0 });
    const plain = await run({ config: { threads: 3, augmentation: null }, dropout: 0 });
    expect(three.result.threads).toBe(3);
    expect(maxAbsDifference(weightValues(one.model), weightValues(three.model))).toBeLessThan(1e-5);
    expect(maxAbsDifference(weightValues(plain.model), weightValues(three.model))).toBeGreaterThan(1e-3);
    for (const { model } of [one, three, plain]) model.dispose();
  });

  it("validates on the images as they are: the last epoch's validation figures are those of the plain set", async () => {
    const { model, result } = await run({ config: { threads: 1 } });
    const last = result.history.at(-1)!;
    const { lossSum, correct } = await measureLossAndAccuracy(model, split.validation);
    expect(last.valLoss).toBe(lossSum / split.validation.count);
    expect(last.valAccuracy).toBe(correct / split.validation.count);
    model.dispose();
  });
});
