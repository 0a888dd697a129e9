import { DEFAULT_MODEL_CONFIG } from '@mnist/model';
import { DEFAULT_TRAINING_CONFIG, resolveTrainingConfig } from '@mnist/train';
import { describe, expect, it } from 'vitest';
import type { ComputeJob } from './bench-job.js';
import { benchTrainingConfig } from './bench-training-config.js';

const job: ComputeJob = {
  kind: 'compute',
  side: 'tfjs-wasm',
  modelConfig: DEFAULT_MODEL_CONFIG,
  seed: 7,
  threads: 2,
  batchSize: 96,
  warmupSteps: 5,
  steps: 30,
  learningRate: 1e-3,
  inferBatchSize: 1000,
  inferWarmupBatchSize: 1000,
  inferBatches: 3,
  latencyCalls: 1000,
};

describe('benchTrainingConfig', () => {
  it("trains PyTorch's loop: Adam at a constant rate on the images as they are", () => {
    // The trainer's own defaults augment, follow one cycle and decay the weights; the bench must
    // not inherit them.
    expect(DEFAULT_TRAINING_CONFIG.augmentation).not.toBeNull();
    expect(DEFAULT_TRAINING_CONFIG.learningRateSchedule.kind).toBe('oneCycle');
    expect(DEFAULT_TRAINING_CONFIG.weightDecay).toBeGreaterThan(0);
    const config = resolveTrainingConfig(benchTrainingConfig(job));
    expect(config.augmentation).toBeNull();
    expect(config.learningRateSchedule).toEqual({ kind: 'constant' });
    expect(config.labelSmoothing).toBe(0);
    expect(config.weightDecay).toBe(0);
  });

  it("takes the job's threads, batch size, rate and seed, and times one epoch with nothing else in it", () => {
    const config = resolveTrainingConfig(benchTrainingConfig(job));
    expect(config).toMatchObject({
      threads: 2,
      batchSize: 96,
      learningRate: 1e-3,
      seed: 7,
      epochs: 1,
      validationSplit: 0,
      earlyStopping: null,
    });
  });
});
