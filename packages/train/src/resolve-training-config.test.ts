import { MnistError } from '@mnist/core';
import { describe, expect, it } from 'vitest';
import type { TrainingConfigInput } from './training-types.js';
import { DEFAULT_TRAINING_CONFIG } from './default-training-config.js';
import { resolveTrainingConfig } from './resolve-training-config.js';
import { TrainingConfigError } from './training-config-error.js';

function errorOf(input: unknown): TrainingConfigError {
  try {
    resolveTrainingConfig(input as TrainingConfigInput);
  } catch (error) {
    expect(error).toBeInstanceOf(TrainingConfigError);
    expect(MnistError.isInstance(error)).toBe(true);
    return error as TrainingConfigError;
  }
  throw new Error(`expected ${JSON.stringify(input)} to be refused`);
}

describe('resolveTrainingConfig', () => {
  it('returns the defaults for no input, as a fresh object', () => {
    const config = resolveTrainingConfig();
    expect(config).toEqual(DEFAULT_TRAINING_CONFIG);
    expect(config).not.toBe(DEFAULT_TRAINING_CONFIG);
    expect(Object.isFrozen(DEFAULT_TRAINING_CONFIG)).toBe(true);
  });

  it('defaults pass their own validation and describe the documented recipe', () => {
    expect(resolveTrainingConfig(DEFAULT_TRAINING_CONFIG)).toEqual(DEFAULT_TRAINING_CONFIG);
    expect(DEFAULT_TRAINING_CONFIG).toMatchObject({
      epochs: 8,
      batchSize: 128,
      learningRate: 6e-3,
      validationSplit: 0.05,
      learningRateSchedule: {
        kind: 'oneCycle',
        warmupFraction: 0.2,
        initialDivisor: 25,
        finalDivisor: 10_000,
      },
      augmentation: { rotationDegrees: 10, scale: 0.1, shift: 0.1, shear: 0, elastic: null },
    });
    expect('backend' in DEFAULT_TRAINING_CONFIG).toBe(false);
  });

  it('overrides only the fields given and ignores undefined ones', () => {
    const config = resolveTrainingConfig({
      epochs: 2,
      batchSize: undefined,
      earlyStopping: null,
    });
    expect(config.epochs).toBe(2);
    expect(config.batchSize).toBe(DEFAULT_TRAINING_CONFIG.batchSize);
    expect(config.earlyStopping).toBeNull();
    expect(config.threads).toBe('auto');
    expect(resolveTrainingConfig({ threads: 2 }).threads).toBe(2);
  });

  it('fills a partial earlyStopping from the defaults', () => {
    const config = resolveTrainingConfig({ earlyStopping: { patience: 5 } as never });
    expect(config.earlyStopping).toEqual({ patience: 5, minDelta: 0, restoreBestWeights: true });
  });

  it('accepts every schedule kind with valid parameters', () => {
    for (const schedule of [
      { kind: 'constant' },
      { kind: 'exponential', decayRate: 0.9 },
      { kind: 'step', everyEpochs: 2, factor: 0.5 },
      { kind: 'cosine', minLearningRate: 1e-5 },
      { kind: 'oneCycle', warmupFraction: 0.3, initialDivisor: 25, finalDivisor: 1e4 },
      { kind: 'oneCycle', warmupFraction: 0, initialDivisor: 0.5, finalDivisor: 1 },
      { kind: 'warmupCosine', warmupFraction: 0.1, minLearningRate: 0 },
    ] as const) {
      expect(resolveTrainingConfig({ learningRateSchedule: schedule }).learningRateSchedule).toEqual(
        schedule,
      );
    }
  });

  it('defaults labelSmoothing to 0 and weightDecay to 0.1 and keeps valid values', () => {
    expect(DEFAULT_TRAINING_CONFIG).toMatchObject({ labelSmoothing: 0, weightDecay: 0.1 });
    expect(resolveTrainingConfig({ labelSmoothing: 0.1, weightDecay: 0.05 })).toMatchObject({
      labelSmoothing: 0.1,
      weightDecay: 0.05,
    });
  });

  it.each([
    [{ epochs: 0 }, /"epochs" must be an integer >= 1, got 0/],
    [{ epochs: 1.5 }, /"epochs" must be an integer >= 1, got 1.5/],
    [{ batchSize: -4 }, /"batchSize" must be an integer >= 1, got -4/],
    [{ batchSize: '64' }, /"batchSize" must be an integer >= 1, got '64'/],
    [{ learningRate: 0 }, /"learningRate" must be a finite number > 0, got 0/],
    [{ learningRate: Number.POSITIVE_INFINITY }, /"learningRate" must be a finite number > 0/],
    [{ validationSplit: 1 }, /"validationSplit" must be a number in \[0, 1\), got 1/],
    [{ validationSplit: -0.1 }, /"validationSplit"/],
    [{ seed: -1 }, /"seed" must be an integer in \[0, 4294967295\], got -1/],
    [{ seed: 2 ** 32 }, /"seed"/],
    // The backend is the app's choice now (selectBackend of @mnist/runtime), with a hint saying so.
    [{ backend: 'wasm' }, /"backend" is gone: `train` trains on the active tfjs backend; .*@mnist\/runtime/],
    [{ threads: 0 }, /"threads" must be 'auto' or an integer in \[1, 64\], got 0/],
    [{ threads: 'all' }, /"threads" must be 'auto' or an integer in \[1, 64\], got 'all'/],
    [{ threads: 2.5 }, /"threads".*got 2.5/],
    [{ earlyStopping: 3 }, /"earlyStopping" must be null or an object/],
    [{ earlyStopping: { patience: 0 } }, /"earlyStopping.patience" must be an integer >= 1, got 0/],
    [{ earlyStopping: { minDelta: -1 } }, /"earlyStopping.minDelta" must be a finite number >= 0, got -1/],
    [
      { earlyStopping: { restoreBestWeights: 'yes' } },
      /"earlyStopping.restoreBestWeights" must be true or false/,
    ],
    [{ earlyStopping: { patients: 2 } }, /earlyStopping has unknown field "patients"/],
    [
      { learningRateSchedule: { kind: 'linear' } },
      /"learningRateSchedule" must be an object whose "kind" is one of/,
    ],
    [
      { learningRateSchedule: { kind: 'exponential', decayRate: 0 } },
      /"learningRateSchedule.decayRate" must be a number in \(0, 1\]/,
    ],
    [{ learningRateSchedule: { kind: 'exponential' } }, /"learningRateSchedule.decayRate".*got undefined/],
    [
      { learningRateSchedule: { kind: 'step', everyEpochs: 0, factor: 0.5 } },
      /"learningRateSchedule.everyEpochs"/,
    ],
    [{ learningRateSchedule: { kind: 'step', everyEpochs: 2, factor: 2 } }, /"learningRateSchedule.factor"/],
    [
      { learningRate: 1e-3, learningRateSchedule: { kind: 'cosine', minLearningRate: 1e-2 } },
      /"learningRateSchedule.minLearningRate" must be a number in \[0, learningRate = 0.001\], got 0.01/,
    ],
    [
      { learningRateSchedule: { kind: 'constant', decayRate: 0.5 } },
      /learningRateSchedule \(constant\) has unknown field "decayRate"/,
    ],
    [{ labelSmoothing: 1 }, /"labelSmoothing" must be a number in \[0, 1\), got 1/],
    [{ labelSmoothing: -0.1 }, /"labelSmoothing" must be a number in \[0, 1\), got -0.1/],
    [{ labelSmoothing: '0.1' }, /"labelSmoothing".*got '0.1'/],
    [{ weightDecay: -1e-4 }, /"weightDecay" must be a finite number >= 0, got -0.0001/],
    [{ weightDecay: Number.NaN }, /"weightDecay" must be a finite number >= 0, got NaN/],
    [
      {
        learningRateSchedule: { kind: 'oneCycle', warmupFraction: 1, initialDivisor: 25, finalDivisor: 1e4 },
      },
      /"learningRateSchedule.warmupFraction" must be a number in \[0, 1\), got 1/,
    ],
    [
      {
        learningRateSchedule: { kind: 'oneCycle', warmupFraction: 0.3, initialDivisor: 0, finalDivisor: 1e4 },
      },
      /"learningRateSchedule.initialDivisor" must be a finite number > 0, got 0/,
    ],
    [
      { learningRateSchedule: { kind: 'oneCycle', warmupFraction: 0.3, initialDivisor: 25 } },
      /"learningRateSchedule.finalDivisor" must be a finite number > 0, got undefined/,
    ],
    [
      {
        learningRateSchedule: {
          kind: 'oneCycle',
          warmupFraction: 0.3,
          initialDivisor: 25,
          finalDivisor: 1e4,
          minLearningRate: 0,
        },
      },
      /learningRateSchedule \(oneCycle\) has unknown field "minLearningRate"; known fields: kind, warmupFraction, initialDivisor, finalDivisor/,
    ],
    [
      { learningRateSchedule: { kind: 'warmupCosine', warmupFraction: -0.1, minLearningRate: 0 } },
      /"learningRateSchedule.warmupFraction" must be a number in \[0, 1\), got -0.1/,
    ],
    [
      {
        learningRate: 1e-3,
        learningRateSchedule: { kind: 'warmupCosine', warmupFraction: 0.1, minLearningRate: 1 },
      },
      /"learningRateSchedule.minLearningRate" must be a number in \[0, learningRate = 0.001\], got 1/,
    ],
    [{ batch_size: 32 }, /training config has unknown field "batch_size"; known fields: epochs, batchSize/],
    [
      { augmentation: { rotationDegrees: 200 } },
      /^training config field "augmentation.rotationDegrees" must be a number in \[0, 180\] \(degrees\), got 200$/,
    ],
    [
      { augmentation: { scale: 1 } },
      /^training config field "augmentation.scale" must be a number in \[0, 1\), got 1$/,
    ],
    [{ augmentation: { shift: -0.1 } }, /"augmentation.shift" must be a number in \[0, 1\]/],
    [{ augmentation: { shear: 90 } }, /"augmentation.shear" must be a number in \[0, 90\)/],
    [
      { augmentation: { elastic: { alpha: 34, sigma: 0 } } },
      /"augmentation.elastic.sigma" must be a finite number > 0/,
    ],
    [
      { augmentation: { elastic: { alpha: -1, sigma: 4 } } },
      /"augmentation.elastic.alpha" must be a finite number >= 0/,
    ],
    [
      { augmentation: { rotation: 10 } },
      /"augmentation" has unknown field "rotation"; known fields: rotationDegrees/,
    ],
    [
      { augmentation: 'on' },
      /"augmentation" must be an object \{ rotationDegrees, scale, shift, shear, elastic \}, got 'on'/,
    ],
  ])('refuses %j, naming the field and what it accepts', (input, message) => {
    expect(errorOf(input).message).toMatch(message);
  });

  it('augments by default, turns it off with null, and fills the ranges an augmentation leaves out with 0', () => {
    expect(resolveTrainingConfig().augmentation).toEqual(DEFAULT_TRAINING_CONFIG.augmentation);
    expect(resolveTrainingConfig({ augmentation: null }).augmentation).toBeNull();
    const augmentation = { rotationDegrees: 10, shift: 0.1 } as never;
    expect(resolveTrainingConfig({ augmentation }).augmentation).toEqual({
      rotationDegrees: 10,
      scale: 0,
      shift: 0.1,
      shear: 0,
      elastic: null,
    });
    const error = errorOf({ augmentation: { scale: 2 } });
    // The data package's error is kept as the cause.
    expect((error.cause as Error).name).toBe('AugmentationConfigError');
  });

  it('refuses a config that is not an object', () => {
    expect(errorOf([]).message).toMatch(/training config must be an object/);
    expect(errorOf(null).message).toMatch(/training config must be an object, got null/);
  });
});
