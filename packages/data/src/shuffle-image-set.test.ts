import { describe, expect, it } from 'vitest';
import { shuffleImageSet } from './shuffle-image-set.js';
import { shuffledIndices } from './shuffled-indices.js';
import { numberedImageSet } from './testing/image-set.js';
import { sameBytes } from './testing/same-bytes.js';

describe('shuffledIndices', () => {
  it('is a permutation, deterministic per seed', () => {
    const a = shuffledIndices(1000, 1);
    expect(Array.from(a).sort((x, y) => x - y)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(shuffledIndices(1000, 1)).toEqual(a);
    expect(shuffledIndices(1000, 2)).not.toEqual(a);
    expect(Array.from(a)).not.toEqual(Array.from({ length: 1000 }, (_, i) => i));
  });
});

describe('shuffleImageSet', () => {
  it('moves images and labels together and leaves the input alone', () => {
    const set = numberedImageSet(50);
    const before = set.images.slice();
    const shuffled = shuffleImageSet(set, 123);
    expect(sameBytes(set.images, before)).toBe(true);
    expect(shuffled.count).toBe(50);
    const order = shuffledIndices(50, 123);
    for (let k = 0; k < 50; k++) {
      const original = order[k]!;
      expect(shuffled.images[k * 784]).toBe(original);
      expect(shuffled.images[k * 784 + 783]).toBe(original);
      expect(shuffled.labels[k]).toBe(original % 10);
    }
    const again = shuffleImageSet(set, 123);
    expect(sameBytes(again.images, shuffled.images) && sameBytes(again.labels, shuffled.labels)).toBe(true);
  });
});
