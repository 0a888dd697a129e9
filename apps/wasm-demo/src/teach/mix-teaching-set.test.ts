import { describe, expect, it } from 'vitest';
import { mixTeachingSet } from './mix-teaching-set.js';

const replay = {
  images: Float32Array.from([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8]),
  labels: Uint8Array.from([3, 4]),
  count: 2,
  rows: 2,
  cols: 2,
};

describe('mixTeachingSet', () => {
  it('appends copies of every example after the replayed images', () => {
    const mixed = mixTeachingSet(
      replay,
      [
        { pixels: Float32Array.from([1, 0, 0, 1]), label: 7 },
        { pixels: Float32Array.from([0, 1, 1, 0]), label: 1 },
      ],
      2,
    );
    expect(mixed.count).toBe(6);
    expect([...mixed.labels]).toEqual([3, 4, 7, 7, 1, 1]);
    expect([...mixed.images.subarray(8, 16)]).toEqual([1, 0, 0, 1, 1, 0, 0, 1]);
    expect([...mixed.images.subarray(16)]).toEqual([0, 1, 1, 0, 0, 1, 1, 0]);
    expect(mixed.images[0]).toBeCloseTo(0.1);
  });

  it('says which example does not fit', () => {
    expect(() => mixTeachingSet(replay, [{ pixels: new Float32Array(3), label: 1 }], 1)).toThrow(
      /example 0 has 3 pixels, expected 4/,
    );
    expect(() => mixTeachingSet(replay, [{ pixels: new Float32Array(4), label: 10 }], 1)).toThrow(
      /example 0 has label 10/,
    );
    expect(() => mixTeachingSet(replay, [], 0)).toThrow(/copies must be a whole number >= 1/);
  });
});
