import { describe, expect, it } from 'vitest';
import type { RawImageSet } from './dataset-types.js';
import { computePixelStats } from './compute-pixel-stats.js';
import { DataArgumentError } from './data-argument-error.js';
import { normalizeImages } from './normalize-images.js';

const raw: RawImageSet = {
  images: Uint8Array.from({ length: 784 * 2 }, (_, i) => (i % 2 === 0 ? 0 : 255)),
  labels: Uint8Array.from([1, 2]),
  count: 2,
  rows: 28,
  cols: 28,
};

describe('normalizeImages', () => {
  it('maps bytes to float32 in [0, 1]', () => {
    const set = normalizeImages({ ...raw, images: Uint8Array.from({ length: 1568 }, (_, i) => i % 256) });
    expect(set.images).toBeInstanceOf(Float32Array);
    expect(set.images[0]).toBe(0);
    expect(set.images[255]).toBe(1);
    expect(set.images[51]).toBeCloseTo(0.2, 6);
    expect(set.labels).toBe(raw.labels);
    expect(set).toMatchObject({ count: 2, rows: 28, cols: 28 });
  });

  it('standardizes with the given stats', () => {
    const stats = computePixelStats(raw);
    expect(stats.mean).toBeCloseTo(0.5, 12);
    expect(stats.std).toBeCloseTo(0.5, 12);
    const set = normalizeImages(raw, stats);
    expect(set.images[0]).toBeCloseTo(-1, 6);
    expect(set.images[1]).toBeCloseTo(1, 6);
  });

  it('rejects stats with a zero std', () => {
    expect(() => normalizeImages(raw, { mean: 0.1, std: 0 })).toThrow(DataArgumentError);
    expect(() => normalizeImages(raw, { mean: 0.1, std: 0 })).toThrow(
      'stats must have a finite mean and a positive finite std, got mean 0.1, std 0',
    );
  });
});

describe('computePixelStats', () => {
  it('matches a direct two-pass computation', () => {
    const images = Uint8Array.from({ length: 784 * 3 }, (_, i) => (i * 37) % 256);
    const stats = computePixelStats({ ...raw, images, count: 3 });
    const xs = Array.from(images, (v) => v / 255);
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const std = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length);
    expect(stats.mean).toBeCloseTo(mean, 12);
    expect(stats.std).toBeCloseTo(std, 12);
  });

  it('rejects an empty set', () => {
    expect(() => computePixelStats({ ...raw, images: new Uint8Array(0), count: 0 })).toThrow(
      'computePixelStats needs at least one pixel, got an empty set',
    );
  });
});
