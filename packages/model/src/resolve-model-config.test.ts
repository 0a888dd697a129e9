import { MnistError } from '@mnist/core';
import { describe, expect, it } from 'vitest';
import type { ModelConfigInput } from './model-types.js';
import { DEFAULT_MODEL_CONFIG } from './default-model-config.js';
import { ModelConfigError } from './model-config-error.js';
import { resolveModelConfig } from './resolve-model-config.js';

function rejection(input: unknown): string {
  try {
    resolveModelConfig(input as ModelConfigInput);
  } catch (error) {
    expect(error).toBeInstanceOf(ModelConfigError);
    expect(MnistError.isInstance(error)).toBe(true);
    return (error as Error).message;
  }
  throw new Error(`expected ${JSON.stringify(input)} to be rejected`);
}

describe('resolveModelConfig', () => {
  it('returns the defaults for no input, as a copy', () => {
    const config = resolveModelConfig();
    expect(config).toEqual({
      convLayers: 3,
      filters: [16, 32, 64],
      kernelSize: 3,
      poolAfter: [0, 1, 2],
      dropout: 0.25,
      denseUnits: 192,
      batchNorm: false,
      inputNormalization: null,
    });
    expect(config.filters).not.toBe(DEFAULT_MODEL_CONFIG.filters);
    (config.poolAfter as number[]).push(3);
    expect(DEFAULT_MODEL_CONFIG.poolAfter).toEqual([0, 1, 2]);
  });

  it('fills missing fields and keeps given ones', () => {
    const config = resolveModelConfig({
      convLayers: 2,
      filters: 16,
      poolAfter: [1, 0],
      inputNormalization: { mean: 0.1307, std: 0.3081 },
      batchNorm: true,
      dropout: 0,
      denseUnits: 0,
    });
    expect(config).toEqual({
      convLayers: 2,
      filters: 16,
      kernelSize: 3,
      poolAfter: [0, 1],
      dropout: 0,
      denseUnits: 0,
      batchNorm: true,
      inputNormalization: { mean: 0.1307, std: 0.3081 },
    });
  });

  it('accepts the deepest pooling 28x28 allows and a kernel as large as the last map', () => {
    // 28 -> 14 -> 7 -> 3 -> 1: four pools; a 3x3 kernel still fits the 3x3 map of conv 3.
    expect(resolveModelConfig({ convLayers: 4, filters: 8, poolAfter: [0, 1, 2, 3] }).poolAfter).toEqual([
      0, 1, 2, 3,
    ]);
    expect(
      resolveModelConfig({ convLayers: 2, filters: 8, kernelSize: 7, poolAfter: [0, 1] }).kernelSize,
    ).toBe(7);
  });

  it.each<[string, unknown, string]>([
    ['not an object', 3, 'Model config must be an object; got 3'],
    ['an array', [1], 'Model config must be an object; got [1]'],
    [
      'an unknown field',
      { filter: 32 },
      'Model config has unknown field "filter"; expected one of convLayers, filters, kernelSize, poolAfter, dropout, denseUnits, batchNorm, inputNormalization',
    ],
    [
      'zero conv layers',
      { convLayers: 0, filters: 8, poolAfter: [] },
      'Model config field "convLayers" must be an integer >= 1; got 0 (a CNN needs at least one conv layer)',
    ],
    [
      'negative conv layers',
      { convLayers: -2 },
      'Model config field "convLayers" must be an integer >= 1; got -2 (a CNN needs at least one conv layer)',
    ],
    [
      'fractional conv layers',
      { convLayers: 2.5 },
      'Model config field "convLayers" must be an integer >= 1; got 2.5 (a CNN needs at least one conv layer)',
    ],
    [
      'filters of the wrong length',
      { filters: [32, 64] },
      'Model config field "filters" has 2 entries but convLayers is 3; give one number for all layers or exactly one per conv layer',
    ],
    [
      'a zero filter count',
      { filters: [32, 0, 64] },
      'Model config field "filters[1]" must be an integer >= 1; got 0',
    ],
    [
      'a string filter count',
      { filters: '32' },
      'Model config field "filters" must be an integer >= 1; got "32"',
    ],
    ['a zero kernel', { kernelSize: 0 }, 'Model config field "kernelSize" must be an integer >= 1; got 0'],
    [
      'a kernel larger than the feature map',
      { kernelSize: 9 },
      'Model config field "kernelSize" is 9 but conv layer 2 sees a 7x7 feature map; the kernel must be at most 7 (move or drop a pool in "poolAfter", or use a smaller kernel)',
    ],
    [
      'a kernel larger than the image',
      { kernelSize: 29, poolAfter: [] },
      'Model config field "kernelSize" is 29 but conv layer 0 sees a 28x28 feature map; the kernel must be at most 28 (move or drop a pool in "poolAfter", or use a smaller kernel)',
    ],
    [
      'more pooling than 28x28 allows',
      { convLayers: 5, filters: 8, kernelSize: 1, poolAfter: [0, 1, 2, 3, 4] },
      'Model config field "poolAfter" has 5 pools but a 28x28 image allows at most 4 (the pool after conv layer 4 would see a 1x1 map)',
    ],
    [
      'poolAfter not an array',
      { poolAfter: 1 },
      'Model config field "poolAfter" must be an array of conv layer indices; got 1',
    ],
    [
      'a pool after a conv layer that does not exist',
      { poolAfter: [0, 3] },
      'Model config field "poolAfter[1]" is 3 but the conv layers are numbered 0 to 2',
    ],
    [
      'a negative pool index',
      { poolAfter: [-1] },
      'Model config field "poolAfter[0]" must be an integer >= 0; got -1',
    ],
    [
      'a conv layer pooled twice',
      { poolAfter: [1, 1] },
      'Model config field "poolAfter" lists a conv layer twice (1, 1); each conv layer has at most one pool',
    ],
    [
      'dropout of 1',
      { dropout: 1 },
      'Model config field "dropout" must be a number in [0, 1) (0 for no dropout); got 1',
    ],
    [
      'negative dropout',
      { dropout: -0.1 },
      'Model config field "dropout" must be a number in [0, 1) (0 for no dropout); got -0.1',
    ],
    [
      'NaN dropout',
      { dropout: Number.NaN },
      'Model config field "dropout" must be a number in [0, 1) (0 for no dropout); got NaN',
    ],
    [
      'negative dense units',
      { denseUnits: -1 },
      'Model config field "denseUnits" must be an integer >= 0; got -1 (use 0 for no hidden dense layer)',
    ],
    [
      'a non-boolean batchNorm',
      { batchNorm: 1 },
      'Model config field "batchNorm" must be true or false; got 1',
    ],
    [
      'a zero std',
      { inputNormalization: { mean: 0.13, std: 0 } },
      'Model config field "inputNormalization.std" must be a finite number > 0; got 0',
    ],
    [
      'a missing mean',
      { inputNormalization: { std: 0.3 } },
      'Model config field "inputNormalization.mean" must be a finite number; got undefined',
    ],
    [
      'a number as normalization',
      { inputNormalization: 0.5 },
      'Model config field "inputNormalization" must be { mean, std } or null; got 0.5',
    ],
  ])('rejects %s', (_, input, message) => {
    expect(rejection(input)).toBe(message);
  });
});
