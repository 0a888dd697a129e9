import { describe, expect, it } from 'vitest';
import { augmentImageSet } from './augment-image-set.js';
import type { AugmentationConfig } from './augmentation-config.js';
import { AugmentationConfigError } from './augmentation-config-error.js';
import { createRng } from './create-rng.js';
import { DataArgumentError } from './data-argument-error.js';
import type { ImageSet } from './dataset-types.js';
import { subsetImageSet } from './subset-image-set.js';

const OFF: AugmentationConfig = { rotationDegrees: 0, scale: 0, shift: 0, shear: 0, elastic: null };
const ON: AugmentationConfig = { rotationDegrees: 15, scale: 0.15, shift: 0.1, shear: 10, elastic: null };

/** `count` 28x28 images: a blurry blob per image, placed from `seed`, values in [0, 1]. */
function blobs(count: number, seed = 1): ImageSet {
  const rng = createRng(seed);
  const images = new Float32Array(count * 784);
  for (let k = 0; k < count; k++) {
    const cx = 8 + rng() * 12;
    const cy = 8 + rng() * 12;
    for (let i = 0; i < 784; i++) {
      const d2 = ((i % 28) - cx) ** 2 + (Math.floor(i / 28) - cy) ** 2;
      images[k * 784 + i] = Math.exp(-d2 / 18);
    }
  }
  return { images, labels: new Uint8Array(count).map((_, k) => k % 10), count, rows: 28, cols: 28 };
}

const seedsFor = (count: number, from = 100) => Uint32Array.from({ length: count }, (_, k) => from + k);

describe('augmentImageSet', () => {
  it('gives the same images for the same seeds, other images for other seeds', () => {
    const set = blobs(8);
    const a = augmentImageSet(set, ON, seedsFor(8));
    const b = augmentImageSet(set, ON, seedsFor(8));
    expect(b.images).toEqual(a.images);
    const other = augmentImageSet(set, ON, seedsFor(8, 200));
    for (let k = 0; k < 8; k++) {
      expect(other.images.subarray(k * 784, (k + 1) * 784)).not.toEqual(
        a.images.subarray(k * 784, (k + 1) * 784),
      );
    }
    expect(a.images).not.toEqual(set.images);
    expect(a.labels).toBe(set.labels);
    expect(a).toMatchObject({ count: 8, rows: 28, cols: 28 });
  });

  it("makes an image's result depend on its own seed only, not on its neighbours in the set", () => {
    const set = blobs(6);
    const seeds = seedsFor(6);
    const whole = augmentImageSet(set, { ...ON, elastic: { alpha: 34, sigma: 4 } }, seeds);
    const part = augmentImageSet(
      subsetImageSet(set, [3, 4]),
      { ...ON, elastic: { alpha: 34, sigma: 4 } },
      seeds.subarray(3, 5),
    );
    expect(part.images).toEqual(whole.images.subarray(3 * 784, 5 * 784));
  });

  it('copies the images bit for bit when every range is 0 and elastic is null', () => {
    // Standardized-looking values, negative zero-crossers included: a copy, not a resampling.
    const set = blobs(5);
    set.images.forEach((v, i) => {
      set.images[i] = (v - 0.1307) / 0.3081;
    });
    const out = augmentImageSet(set, OFF, seedsFor(5));
    expect(out.images).not.toBe(set.images);
    expect(Buffer.from(out.images.buffer).equals(Buffer.from(set.images.buffer))).toBe(true);
  });

  it('keeps [0, 1] images in [0, 1] and moves the ink about as much as the ranges allow', () => {
    const set = blobs(20);
    const out = augmentImageSet(set, { ...ON, elastic: { alpha: 34, sigma: 4 } }, seedsFor(20));
    let min = Infinity;
    let max = -Infinity;
    for (const v of out.images) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThanOrEqual(1);
    // The centre of mass of each blob moves by at most shift * 28 plus what rotation, zoom and
    // shear about the image centre do to a blob at most 6 pixels off it, and elastic's pixel or two.
    for (let k = 0; k < 20; k++) {
      const before = centreOfMass(set.images.subarray(k * 784, (k + 1) * 784));
      const after = centreOfMass(out.images.subarray(k * 784, (k + 1) * 784));
      expect(Math.hypot(after[0] - before[0], after[1] - before[1])).toBeLessThan(2.8 * Math.SQRT2 + 6 + 3);
    }
  });

  it('with an elastic alpha of 0 draws the same affine maps as without elastic', () => {
    const set = blobs(4);
    const affine = augmentImageSet(set, ON, seedsFor(4));
    const still = augmentImageSet(set, { ...ON, elastic: { alpha: 0, sigma: 4 } }, seedsFor(4));
    expect(still.images).toEqual(affine.images);
    const elastic = augmentImageSet(set, { ...OFF, elastic: { alpha: 34, sigma: 4 } }, seedsFor(4));
    expect(elastic.images).not.toEqual(set.images);
  });

  it('shifts by whole pixels exactly when shift is the only range (a known draw)', () => {
    // createRng(7)'s draws: angle, zoom, x shift, y shift, shear. With only shift on, the x shift
    // is (2 u3 - 1) * shift * 28; pick a shift that makes it a whole number of pixels.
    const rng = createRng(7);
    rng();
    rng();
    const u = 2 * rng() - 1;
    const v = 2 * rng() - 1;
    const shift = 3 / Math.abs(u) / 28;
    const set = blobs(1);
    const out = augmentImageSet(set, { ...OFF, shift }, [7]);
    const dx = Math.round(u * shift * 28);
    expect(Math.abs(dx)).toBe(3);
    const dy = v * shift * 28;
    // Expected by hand: bilinear in y only, between rows floor and ceil of y - dy.
    for (const [x, y] of [
      [14, 14],
      [10, 12],
      [18, 16],
    ] as const) {
      const sy = y - dy;
      const y0 = Math.floor(sy);
      const fy = sy - y0;
      const at = (row: number) => (row >= 0 && row < 28 ? set.images[row * 28 + (x - dx)]! : 0);
      expect(out.images[y * 28 + x]).toBeCloseTo(at(y0) + fy * (at(y0 + 1) - at(y0)), 6);
    }
  });

  it('checks the config and the seeds', () => {
    const set = blobs(2);
    expect(() => augmentImageSet(set, { ...ON, scale: 1 }, seedsFor(2))).toThrow(AugmentationConfigError);
    expect(() => augmentImageSet(set, ON, seedsFor(3))).toThrow(DataArgumentError);
    expect(() => augmentImageSet(set, ON, seedsFor(3))).toThrow(/one seed per image \(2\), got 3/);
  });
});

function centreOfMass(image: Float32Array): [number, number] {
  let total = 0;
  let x = 0;
  let y = 0;
  image.forEach((v, i) => {
    total += v;
    x += v * (i % 28);
    y += v * Math.floor(i / 28);
  });
  return [x / total, y / total];
}
