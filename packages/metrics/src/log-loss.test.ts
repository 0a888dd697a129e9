import { describe, expect, it } from 'vitest';
import { FLOAT32_EPS, FLOAT64_EPS, logLoss } from './log-loss.js';
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

  it('clips at float64 eps (2^-52) for plain and Float64 arrays', () => {
    expect(FLOAT64_EPS).toBe(Number.EPSILON);
    expect(logLoss([0], [0, 1], 2)).toBe(-Math.log(2 ** -52));
    expect(logLoss([0], Float64Array.of(0, 1), 2)).toBeCloseTo(52 * Math.LN2, 12);
    // A certain, correct answer still costs -log(1 - eps), not 0: clipping applies at both ends.
    expect(logLoss([1], [0, 1], 2)).toBe(-Math.log(1 - 2 ** -52));
  });

  it('clips at float32 eps (2^-23) for a Float32Array, as scikit-learn does for float32 input', () => {
    expect(FLOAT32_EPS).toBe(2 ** -23);
    expect(logLoss([0], Float32Array.of(0, 1), 2)).toBeCloseTo(23 * Math.LN2, 12);
    expect(logLoss([0, 1], Float32Array.of(0, 1, 0, 1), 2)).toBeCloseTo(
      (23 * Math.LN2 - Math.log(1 - 2 ** -23)) / 2,
      12,
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
