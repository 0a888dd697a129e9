import { describe, expect, it } from 'vitest';
import { expectInputError } from './test-helpers.js';
import { topKAccuracy } from './top-k-accuracy.js';

// Four samples over four classes; the true class ranks 1st, 2nd, 3rd and 4th respectively.
const Y_TRUE = [0, 1, 2, 3];
const PROBABILITIES = [
  [0.7, 0.1, 0.1, 0.1],
  [0.5, 0.3, 0.15, 0.05],
  [0.4, 0.1, 0.2, 0.3],
  [0.1, 0.2, 0.3, 0.0],
].flat();

describe('topKAccuracy', () => {
  it('counts a hit when the true class is among the k best', () => {
    expect(topKAccuracy(Y_TRUE, PROBABILITIES, 1, 4)).toBe(0.25);
    expect(topKAccuracy(Y_TRUE, PROBABILITIES, 2, 4)).toBe(0.5);
    expect(topKAccuracy(Y_TRUE, PROBABILITIES, 3, 4)).toBe(0.75);
    expect(topKAccuracy(Y_TRUE, PROBABILITIES, 4, 4)).toBe(1);
    expect(topKAccuracy(Y_TRUE, PROBABILITIES, 9, 4)).toBe(1);
  });

  it('ranks equal scores with the higher class first, as scikit-learn does', () => {
    // Row scores: class 0 and 2 tie at 0.4. Class 2 ranks first, class 0 second.
    const row = [0.4, 0.1, 0.4, 0.1];
    expect(topKAccuracy([2], row, 1, 4)).toBe(1);
    expect(topKAccuracy([0], row, 1, 4)).toBe(0);
    expect(topKAccuracy([0], row, 2, 4)).toBe(1);
    // All equal: class 3 ranks first, class 0 last.
    const flat = [0.25, 0.25, 0.25, 0.25];
    expect([0, 1, 2, 3].map((label) => topKAccuracy([label], flat, 2, 4))).toEqual([0, 0, 1, 1]);
  });

  it('defaults to 10 classes', () => {
    const probabilities = new Float32Array(10);
    probabilities[3] = 0.6;
    probabilities[5] = 0.4;
    expect(topKAccuracy([5], probabilities, 1)).toBe(0);
    expect(topKAccuracy([5], probabilities, 2)).toBe(1);
  });

  it('rejects bad k, labels and matrix sizes, naming the argument', () => {
    expectInputError(() => topKAccuracy(Y_TRUE, PROBABILITIES, 0, 4), 'k', /k must be an integer ≥ 1, got 0/);
    expectInputError(() => topKAccuracy(Y_TRUE, PROBABILITIES, 1.5, 4), 'k', /got 1.5/);
    expectInputError(
      () => topKAccuracy([0, 4], PROBABILITIES.slice(0, 8), 1, 4),
      'yTrue',
      /yTrue\[1\] .* in \[0, 3\], got 4/,
    );
    expectInputError(
      () => topKAccuracy([0, 1, 2], PROBABILITIES, 1, 4),
      'probabilities',
      /yTrue.length × numClasses = 3 × 4 = 12 values .* got 16/,
    );
    expectInputError(() => topKAccuracy([], [], 1, 4), 'yTrue', /at least one label/);
    expectInputError(() => topKAccuracy([0], [1], 1, 0), 'numClasses', /≥ 1, got 0/);
  });
});
