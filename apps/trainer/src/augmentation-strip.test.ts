import type { RawImageSet } from '@mnist/data';
import { describe, expect, it } from 'vitest';
import { augmentationStrip } from './augmentation-strip.js';

/** 10 raw images, each a vertical bar of ink at its own column. */
function bars(): RawImageSet {
  const images = new Uint8Array(10 * 784);
  for (let k = 0; k < 10; k++) for (let y = 5; y < 23; y++) images[k * 784 + y * 28 + 9 + k] = 255;
  return { images, labels: Uint8Array.from({ length: 10 }, (_, k) => k), count: 10, rows: 28, cols: 28 };
}

describe('augmentationStrip', () => {
  const config = { rotationDegrees: 20, scale: 0.1, shift: 0.1, shear: 0, elastic: null };

  it('pairs the first training images with one augmented draw each, the same for the same seed', () => {
    const train = bars();
    const strip = augmentationStrip(train, config, 42, 4);
    expect(strip.map((p) => p.index)).toEqual([0, 1, 2, 3]);
    strip.forEach((pair, k) => {
      expect(pair.original).toEqual(train.images.subarray(k * 784, (k + 1) * 784));
      expect(pair.augmented).toHaveLength(784);
      expect(pair.augmented).not.toEqual(pair.original);
      // Some ink survives the transform: the strip is not blank.
      expect(pair.augmented.reduce((a, b) => a + b, 0)).toBeGreaterThan(255 * 5);
    });
    expect(augmentationStrip(train, config, 42, 4)).toEqual(strip);
    expect(augmentationStrip(train, config, 43, 4)[0]!.augmented).not.toEqual(strip[0]!.augmented);
  });

  it('gives the pixels back unchanged for an augmentation that changes nothing, and stops at the set size', () => {
    const train = bars();
    const off = { rotationDegrees: 0, scale: 0, shift: 0, shear: 0, elastic: null };
    const strip = augmentationStrip(train, off, 1, 20);
    expect(strip).toHaveLength(10);
    for (const pair of strip) expect(pair.augmented).toEqual(pair.original);
  });
});
