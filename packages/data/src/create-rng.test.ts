import { describe, expect, it } from 'vitest';
import { createRng } from './create-rng.js';
import { DataArgumentError } from './data-argument-error.js';

describe('createRng', () => {
  it('gives the same sequence for the same seed and another for another seed', () => {
    const a = Array.from({ length: 5 }, createRng(42));
    const b = Array.from({ length: 5 }, createRng(42));
    const c = Array.from({ length: 5 }, createRng(43));
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it('yields roughly uniform floats in [0, 1)', () => {
    const rng = createRng(7);
    const bins = new Array(10).fill(0);
    const n = 20_000;
    let outside = 0;
    for (let i = 0; i < n; i++) {
      const x = rng();
      if (!(x >= 0 && x < 1)) outside++;
      else bins[Math.floor(x * 10)]++;
    }
    expect(outside).toBe(0);
    // Each bin expects 2000 draws; 5 standard deviations (about 212) is a wide, non-flaky margin
    // that still fails for a biased generator.
    for (const count of bins) expect(Math.abs(count - n / 10)).toBeLessThan(212);
  });

  it('rejects a seed that is not a finite number', () => {
    expect(() => createRng(Number.NaN)).toThrow(DataArgumentError);
    expect(() => createRng(Number.POSITIVE_INFINITY)).toThrow('seed must be a finite number, got Infinity');
  });
});
