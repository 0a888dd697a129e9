import { describe, expect, it } from 'vitest';
import { deriveSeed } from './derive-seed.js';

describe('deriveSeed', () => {
  it('is a pure function of its inputs, returning unsigned 32-bit integers', () => {
    expect(deriveSeed(42, 3, 7)).toBe(deriveSeed(42, 3, 7));
    const seed = deriveSeed(42, 3, 7);
    expect(Number.isInteger(seed) && seed >= 0 && seed < 2 ** 32).toBe(true);
  });

  it('gives different seeds for nearby inputs and for different part counts', () => {
    const seeds = new Set<number>();
    for (let epoch = 0; epoch < 20; epoch++) {
      for (let batch = 0; batch < 50; batch++) seeds.add(deriveSeed(42, epoch, batch));
    }
    expect(seeds.size).toBe(1000);
    expect(deriveSeed(42, 0)).not.toBe(deriveSeed(42, 0, 0));
    expect(deriveSeed(42, 1)).not.toBe(deriveSeed(43, 1));
  });
});
