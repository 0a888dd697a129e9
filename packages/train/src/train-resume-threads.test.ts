import type { TrainValidationSplit } from '@mnist/data';
import { memory } from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { AUTO_MIN_TRAINING_IMAGES } from './resolve-thread-count.js';
import { figures, loadTinySplit, trainTiny, weightValues } from './test-support.js';
import type { TrainingState } from './training-state.js';

// `threads: 'auto'` decides from the cores: pinned to 2 so the run below takes 2 threads on any
// machine (a 1-core machine would otherwise train everything on one and prove nothing).
vi.mock('./available-cores.js', () => ({ availableCores: async () => 2 }));

// Exact resume with an automatic thread count. The whole run (4 epochs of 5,000 images) is long
// enough for `auto` to start threads; the work left after a resume inside epoch 2 (3 epochs and a
// bit) is not. The run must still resume on the 2 threads it started with: another count draws
// other dropout masks and ends with other weights.
const SEED = 13;
const TRAIN = 5000;
const CONFIG = { batchSize: 32, seed: SEED, epochs: 4, threads: 'auto' } as const;

let split: TrainValidationSplit;

beforeAll(async () => {
  split = await loadTinySplit(TRAIN, 200);
}, 60_000);

describe("train with threads: 'auto'", { timeout: 240_000 }, () => {
  it('resumes on the thread count the run started with, to the weights of an uninterrupted run', async () => {
    const states: TrainingState[] = [];
    const whole = await trainTiny(split, CONFIG, { every: 80, states });
    const uninterrupted = whole.result;
    // The premise: the whole run is long enough for 2 threads, the part left after epoch 1 is not.
    expect(TRAIN * 4).toBeGreaterThanOrEqual(AUTO_MIN_TRAINING_IMAGES);
    expect(TRAIN * 3).toBeLessThan(AUTO_MIN_TRAINING_IMAGES);
    expect(uninterrupted.threads).toBe(2);

    const midSecondEpoch = states.find((s) => s.epoch === 1 && s.batch === 80)!;
    expect(midSecondEpoch.threads).toBe(2);
    const before = memory().numTensors;
    const resumed = await trainTiny(split, CONFIG, { resumeFrom: midSecondEpoch });
    expect(resumed.result.threads).toBe(2);
    expect(figures(resumed.result.history)).toEqual(figures(uninterrupted.history));
    expect(weightValues(resumed.model)).toEqual(weightValues(whole.model));
    expect(memory().numTensors).toBe(before + resumed.model.weights.length);
    resumed.model.dispose();
    whole.model.dispose();
  });
});
