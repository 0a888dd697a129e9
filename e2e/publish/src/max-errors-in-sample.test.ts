import { describe, expect, it } from 'vitest';
import { maxErrorsInSample } from './max-errors-in-sample.js';

describe('maxErrorsInSample', () => {
  it('is the smallest count whose hypergeometric upper tail is at most alpha', () => {
    // N = 10, K = 2, n = 5: P(X = 0, 1, 2) = 56/252, 140/252, 56/252.
    expect(maxErrorsInSample(10, 2, 5, 0.25)).toBe(1); // P(X > 1) = 0.222 <= 0.25
    expect(maxErrorsInSample(10, 2, 5, 0.2)).toBe(2); // P(X > 1) = 0.222 > 0.2
    expect(maxErrorsInSample(10, 2, 5, 0.8)).toBe(0); // P(X > 0) = 0.778 <= 0.8
  });

  it('allows exactly the measured errors on the whole set, and none for a perfect classifier', () => {
    expect(maxErrorsInSample(10_000, 64, 10_000, 1e-3)).toBe(64);
    expect(maxErrorsInSample(10_000, 0, 2_000, 1e-3)).toBe(0);
    // 9 of 10 images with 8 wrong: the sample holds 7 or 8 of them, P = 0.8, 0.2.
    expect(maxErrorsInSample(10, 8, 9, 0.1)).toBe(8);
    expect(maxErrorsInSample(10, 8, 9, 0.9)).toBe(7);
  });

  it('tightens as the sample grows: 6 of 200, 23 of 2,000 for 64 errors in 10,000 at 99.9%', () => {
    expect(maxErrorsInSample(10_000, 64, 200, 1e-3)).toBe(6);
    expect(maxErrorsInSample(10_000, 64, 2_000, 1e-3)).toBe(23);
  });

  it('refuses counts that do not describe a sample of a set', () => {
    expect(() => maxErrorsInSample(10, 11, 5, 0.01)).toThrow(RangeError);
    expect(() => maxErrorsInSample(10, 2, 11, 0.01)).toThrow(RangeError);
    expect(() => maxErrorsInSample(10, 2.5, 5, 0.01)).toThrow(RangeError);
    expect(() => maxErrorsInSample(10, 2, 5, 0)).toThrow(RangeError);
  });
});
