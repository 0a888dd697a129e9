import { describe, expect, it } from 'vitest';
import { CROSS_ENTROPY_EPSILON, logLoss } from './log-loss.js';
import { expectInputError } from './test-helpers.js';

describe('logLoss', () => {
  it('is the mean negative log probability of the true class', () => {
    const expected = (Math.log(2) + Math.log(4 / 3)) / 2;
    expect(logLoss([0, 1], [0.5, 0.5, 0.25, 0.75], 2)).toBeCloseTo(expected, 15);
    expect(logLoss([2], [0.2, 0.3, 0.5], 3)).toBeCloseTo(Math.log(2), 15);
  });

  it('defaults to 10 classes', () => {
    const probabilities = new Float64Array(20).fill(0.1);
    expect(logLoss([3, 8], probabilities)).toBeCloseTo(Math.log(10), 14);
  });

  it('clips at CROSS_ENTROPY_EPSILON = 1e-7, with the bounds float32 tensors apply, for every array type', () => {
    expect(CROSS_ENTROPY_EPSILON).toBe(1e-7);
    // The bounds a float32 `clipByValue(p, 1e-7, 1 - 1e-7)` in training applies.
    const low = Math.fround(1e-7);
    const high = 1 - 2 ** -23;
    expect(Math.fround(1 - 1e-7)).toBe(high);
    for (const make of [
      (v: number[]) => v,
      (v: number[]) => Float32Array.from(v),
      (v: number[]) => Float64Array.from(v),
    ]) {
      // A confident mistake costs -ln(fround(1e-7)) ≈ 16.118, however far below the bound p is.
      expect(logLoss([0], make([0, 1]), 2)).toBe(-Math.log(low));
      expect(logLoss([0], make([1e-12, 1]), 2)).toBe(-Math.log(low));
      expect(logLoss([0], make([low, 1 - low]), 2)).toBe(-Math.log(low));
      // A certain, correct answer still costs -ln(1 - 2^-23) ≈ 1.19e-7, not 0: clipping applies at both ends.
      expect(logLoss([1], make([0, 1]), 2)).toBe(-Math.log(high));
      expect(logLoss([1], make([2 ** -24, 1 - 2 ** -24]), 2)).toBe(-Math.log(high));
      expect(logLoss([1], make([1e-7, 1 - 1e-7]), 2)).toBe(-Math.log(high));
      // Just inside the bounds nothing is clipped.
      expect(logLoss([0], make([2e-7, 1 - 2e-7]), 2)).toBe(-Math.log(make([2e-7])[0]!));
      expect(logLoss([1], make([2 ** -22, 1 - 2 ** -22]), 2)).toBe(-Math.log(1 - 2 ** -22));
    }
    expect(-Math.log(low)).toBeCloseTo(16.118095639, 9);
    expect(logLoss([0, 1], Float32Array.of(0, 1, 0, 1), 2)).toBeCloseTo(
      (-Math.log(low) - Math.log(high)) / 2,
      15,
    );
  });

  it('stays accurate summed over many samples', () => {
    // 10^6 copies of the same loss: the compensated sum returns it to within an ulp or two.
    const n = 1_000_000;
    const yTrue = new Uint8Array(n);
    const probabilities = new Float64Array(2 * n);
    for (let i = 0; i < n; i++) {
      probabilities[2 * i] = 0.1;
      probabilities[2 * i + 1] = 0.9;
    }
    expect(Math.abs(logLoss(yTrue, probabilities, 2) - -Math.log(0.1))).toBeLessThan(1e-15);
  });

  it('rejects bad inputs, naming the argument', () => {
    expectInputError(() => logLoss([0, 1], [0.5, 0.5], 2), 'probabilities', /2 × 2 = 4 values .* got 2/);
    expectInputError(
      () => logLoss([0, 2], [0.5, 0.5, 0.5, 0.5], 2),
      'yTrue',
      /yTrue\[1\] .* in \[0, 1\], got 2/,
    );
    expectInputError(() => logLoss([0], [1], 1), 'numClasses', /≥ 2, got 1/);
    expectInputError(() => logLoss([], [], 2), 'yTrue', /at least one label/);
    expectInputError(
      () => logLoss([0], [0.5, Number.POSITIVE_INFINITY], 2),
      'probabilities',
      /must be a finite number, got Infinity/,
    );
  });
});
