import { describe, expect, it } from 'vitest';
import { DataArgumentError } from './data-argument-error.js';
import { shuffledIndices } from './shuffled-indices.js';
import { splitTrainValidation } from './split-train-validation.js';
import { numberedImageSet } from './testing/image-set.js';
import { sameBytes } from './testing/same-bytes.js';

const firstPixels = (images: Float32Array, count: number) =>
  Array.from({ length: count }, (_, k) => images[k * 784]!);

describe('splitTrainValidation', () => {
  it('shuffles with the seed, then holds out the last fraction', () => {
    const set = numberedImageSet(100);
    const { train, validation } = splitTrainValidation(set, 0.1, 9);
    expect(train.count).toBe(90);
    expect(validation.count).toBe(10);
    const order = Array.from(shuffledIndices(100, 9));
    expect(firstPixels(train.images, 90)).toEqual(order.slice(0, 90));
    expect(firstPixels(validation.images, 10)).toEqual(order.slice(90));
    expect(Array.from(validation.labels)).toEqual(order.slice(90).map((i) => i % 10));
    const again = splitTrainValidation(set, 0.1, 9);
    expect(
      sameBytes(again.train.images, train.images) && sameBytes(again.validation.images, validation.images),
    ).toBe(true);
  });

  it('allows an empty validation set and rejects fractions outside [0, 1)', () => {
    const set = numberedImageSet(10);
    expect(splitTrainValidation(set, 0, 1).validation.count).toBe(0);
    expect(() => splitTrainValidation(set, 1, 1)).toThrow(DataArgumentError);
    expect(() => splitTrainValidation(set, -0.1, 1)).toThrow(
      'validationFraction must be in [0, 1), got -0.1',
    );
  });
});
