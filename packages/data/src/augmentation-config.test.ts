import { MnistError } from '@mnist/core';
import { describe, expect, it } from 'vitest';
import { checkAugmentationConfig } from './augmentation-config.js';
import { AugmentationConfigError } from './augmentation-config-error.js';
import { DataArgumentError } from './data-argument-error.js';

function errorOf(value: unknown, field?: string): AugmentationConfigError {
  try {
    checkAugmentationConfig(value, field);
  } catch (error) {
    expect(AugmentationConfigError.isInstance(error)).toBe(true);
    expect(DataArgumentError.isInstance(error)).toBe(true);
    expect(MnistError.isInstance(error)).toBe(true);
    expect((error as Error).name).toBe('AugmentationConfigError');
    return error as AugmentationConfigError;
  }
  throw new Error(`expected ${JSON.stringify(value)} to be refused`);
}

describe('checkAugmentationConfig', () => {
  it('returns a fresh complete copy, fields left out off', () => {
    const input = { rotationDegrees: 10, scale: 0.1, shift: 0.1, shear: 5, elastic: { alpha: 34, sigma: 4 } };
    const config = checkAugmentationConfig(input);
    expect(config).toEqual(input);
    expect(config).not.toBe(input);
    expect(config.elastic).not.toBe(input.elastic);
    expect(checkAugmentationConfig({ rotationDegrees: 10 })).toEqual({
      rotationDegrees: 10,
      scale: 0,
      shift: 0,
      shear: 0,
      elastic: null,
    });
    expect(
      checkAugmentationConfig({ rotationDegrees: 180, scale: 0.99, shift: 1, shear: 89.9 }),
    ).toMatchObject({
      shear: 89.9,
    });
  });

  it('names each bad field, what it accepts and what it got', () => {
    const cases: [unknown, string, RegExp][] = [
      [
        { rotationDegrees: -1 },
        'augmentation.rotationDegrees',
        /must be a number in \[0, 180\] \(degrees\), got -1/,
      ],
      [{ rotationDegrees: 181 }, 'augmentation.rotationDegrees', /got 181/],
      [{ rotationDegrees: '10' }, 'augmentation.rotationDegrees', /got '10'/],
      [{ scale: 1 }, 'augmentation.scale', /must be a number in \[0, 1\), got 1/],
      [{ scale: Number.NaN }, 'augmentation.scale', /got NaN/],
      [
        { shift: 1.5 },
        'augmentation.shift',
        /must be a number in \[0, 1\] \(a fraction of the image size\), got 1.5/,
      ],
      [{ shear: 90 }, 'augmentation.shear', /must be a number in \[0, 90\) \(degrees\), got 90/],
      [{ shear: -5 }, 'augmentation.shear', /got -5/],
      [{ elastic: 3 }, 'augmentation.elastic', /must be null or an object \{ alpha, sigma \}, got 3/],
      [
        { elastic: { alpha: -1, sigma: 4 } },
        'augmentation.elastic.alpha',
        /must be a finite number >= 0 \(pixels\), got -1/,
      ],
      [
        { elastic: { alpha: 34, sigma: 0 } },
        'augmentation.elastic.sigma',
        /must be a finite number > 0 \(pixels\), got 0/,
      ],
      [{ elastic: { alpha: 34 } }, 'augmentation.elastic.sigma', /got undefined/],
      [
        { elastic: { alpha: 1, sigma: 1, size: 3 } },
        'augmentation.elastic.size',
        /unknown field "size"; known fields: alpha, sigma/,
      ],
      [
        { rotation: 10 },
        'augmentation.rotation',
        /"augmentation" has unknown field "rotation"; known fields: rotationDegrees, scale/,
      ],
      [
        null,
        'augmentation',
        /"augmentation" must be an object \{ rotationDegrees, scale, shift, shear, elastic \}, got null/,
      ],
      [[1], 'augmentation', /got \[1\]/],
    ];
    for (const [value, field, message] of cases) {
      const error = errorOf(value);
      expect(error.field, JSON.stringify(value)).toBe(field);
      expect(error.message, JSON.stringify(value)).toMatch(message);
    }
  });

  it('names the field as the caller calls it', () => {
    const error = errorOf({ scale: 2 }, 'training.augmentation');
    expect(error.field).toBe('training.augmentation.scale');
    expect(error.message).toMatch(/^"training.augmentation.scale" must be/);
  });
});
