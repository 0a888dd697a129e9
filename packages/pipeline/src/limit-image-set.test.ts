import { describe, expect, it } from 'vitest';
import { limitImageSet } from './limit-image-set.js';

describe('limitImageSet', () => {
  const set = {
    images: Uint8Array.from({ length: 3 * 4 }, (_, i) => i),
    labels: Uint8Array.of(7, 8, 9),
    count: 3,
    rows: 2,
    cols: 2,
  };

  it('keeps the first images and labels as views', () => {
    const limited = limitImageSet(set, 2);
    expect(limited.count).toBe(2);
    expect(Array.from(limited.images)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(Array.from(limited.labels)).toEqual([7, 8]);
    expect(limited.images.buffer).toBe(set.images.buffer);
  });

  it('returns the set itself without a limit or with one at or above its size', () => {
    expect(limitImageSet(set, undefined)).toBe(set);
    expect(limitImageSet(set, 3)).toBe(set);
    expect(limitImageSet(set, 60000)).toBe(set);
  });
});
