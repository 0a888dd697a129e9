import { describe, expect, it } from 'vitest';
import { layerConfigFiles } from './layer-config-files.js';
import type { ConfigFile } from './load-config-file.js';
import { mergeRunConfig } from './merge-run-config.js';

const defaults = {
  model: { filters: [32, 64, 64], poolAfter: [0, 1] },
  training: { earlyStopping: { patience: 3, minDelta: 0.001, restoreBestWeights: true } },
};

describe('mergeRunConfig', () => {
  it('lets flags override the --config file field by field', () => {
    const merged = mergeRunConfig(
      { model: { convLayers: 2, dropout: 0.3 }, training: { epochs: 5, batchSize: 32 } },
      { model: { dropout: 0.1 }, training: { epochs: 1 } },
      defaults,
    );
    expect(merged).toEqual({
      model: { convLayers: 2, dropout: 0.1, filters: [32, 64] },
      training: { epochs: 1, batchSize: 32 },
    });
  });

  it('takes threads from the --config file unless --threads is given', () => {
    const file = { training: { threads: 2 } };
    expect(mergeRunConfig(file, { model: {}, training: {} }, defaults).training).toEqual({ threads: 2 });
    expect(mergeRunConfig(file, { model: {}, training: { threads: 'auto' } }, defaults).training).toEqual({
      threads: 'auto',
    });
  });

  it('turns early stopping off with patience 0 and keeps the other fields for a positive one', () => {
    expect(
      mergeRunConfig({}, { model: {}, training: {}, earlyStoppingPatience: 0 }, defaults).training,
    ).toEqual({
      earlyStopping: null,
    });
    const file = { training: { earlyStopping: { patience: 9, minDelta: 0.01, restoreBestWeights: false } } };
    expect(
      mergeRunConfig(file, { model: {}, training: {}, earlyStoppingPatience: 2 }, defaults).training,
    ).toEqual({
      earlyStopping: { patience: 2, minDelta: 0.01, restoreBestWeights: false },
    });
    expect(
      mergeRunConfig({}, { model: {}, training: {}, earlyStoppingPatience: 4 }, defaults).training,
    ).toEqual({
      earlyStopping: { patience: 4, minDelta: 0.001, restoreBestWeights: true },
    });
  });

  it('leaves the file untouched when no flag is given', () => {
    const file = { model: { kernelSize: 5 }, training: { earlyStopping: null } };
    expect(mergeRunConfig(file, { model: {}, training: {} }, defaults)).toEqual(file);
  });

  it('fits the default filters and pools to a changed number of conv layers unless they are set', () => {
    const cli = (convLayers: number) => ({ model: { convLayers }, training: {} });
    expect(mergeRunConfig({}, cli(1), defaults).model).toEqual({
      convLayers: 1,
      filters: [32],
      poolAfter: [0],
    });
    expect(mergeRunConfig({}, cli(2), defaults).model).toEqual({ convLayers: 2, filters: [32, 64] });
    expect(mergeRunConfig({}, cli(4), defaults).model).toEqual({ convLayers: 4, filters: [32, 64, 64, 64] });
    const file = { model: { filters: 16, poolAfter: [1] } };
    expect(mergeRunConfig(file, cli(1), defaults).model).toEqual({
      convLayers: 1,
      filters: 16,
      poolAfter: [1],
    });
  });

  it('layers defaults < --recipe < --config < flags, the schedule flags included', () => {
    const recipe: ConfigFile = {
      model: { convLayers: 2, filters: [16, 32], batchNorm: true },
      training: {
        epochs: 1,
        batchSize: 128,
        learningRate: 5e-3,
        labelSmoothing: 0.1,
        learningRateSchedule: {
          kind: 'oneCycle',
          warmupFraction: 0.25,
          initialDivisor: 25,
          finalDivisor: 1e4,
        },
      },
    } as const;
    const file = { model: { batchNorm: false }, training: { epochs: 3, weightDecay: 0.01 } };
    const merged = mergeRunConfig(
      layerConfigFiles(recipe, file),
      {
        model: {},
        training: { epochs: 2, labelSmoothing: 0 },
        schedule: { warmupFraction: 0.1 },
      },
      defaults,
    );
    expect(merged).toEqual({
      model: { convLayers: 2, filters: [16, 32], batchNorm: false },
      training: {
        epochs: 2, // flag over file over recipe
        batchSize: 128, // recipe
        learningRate: 5e-3, // recipe
        labelSmoothing: 0, // flag over recipe
        weightDecay: 0.01, // file
        // The recipe's one-cycle with --warmup-fraction over it.
        learningRateSchedule: {
          kind: 'oneCycle',
          warmupFraction: 0.1,
          initialDivisor: 25,
          finalDivisor: 1e4,
        },
      },
    });
    // A --config schedule replaces the recipe's whole; --schedule then starts a kind afresh.
    const cosineFile = {
      training: { learningRateSchedule: { kind: 'cosine', minLearningRate: 1e-5 } },
    } as const;
    expect(layerConfigFiles(recipe, cosineFile).training?.learningRateSchedule).toEqual({
      kind: 'cosine',
      minLearningRate: 1e-5,
    });
    const switched = mergeRunConfig(
      layerConfigFiles(recipe, cosineFile),
      { model: {}, training: {}, schedule: { kind: 'warmupCosine' } },
      defaults,
    );
    expect(switched.training.learningRateSchedule).toEqual({
      kind: 'warmupCosine',
      warmupFraction: 0.1,
      minLearningRate: 0,
    });
    // Without a recipe or file schedule, a parameter flag applies to the default's kind.
    expect(() =>
      mergeRunConfig(
        {},
        { model: {}, training: {}, schedule: { warmupFraction: 0.2 } },
        {
          ...defaults,
          training: { ...defaults.training, learningRateSchedule: { kind: 'exponential', decayRate: 0.6 } },
        },
      ),
    ).toThrow(
      /--warmup-fraction applies to --schedule one-cycle or warmup-cosine; the schedule in effect is exponential/,
    );
    expect(layerConfigFiles({}, {})).toEqual({ model: {}, training: {} });
  });
});
