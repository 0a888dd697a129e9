import { describe, expect, it } from 'vitest';
import { accuracy } from './accuracy.js';
import { expectInputError } from './test-helpers.js';

describe('accuracy', () => {
  it('is the fraction of equal labels', () => {
    expect(accuracy([0, 1, 2, 3], [0, 1, 1, 3])).toBe(0.75);
    expect(accuracy(Uint8Array.of(7, 7, 7), Int32Array.of(7, 7, 7))).toBe(1);
    expect(accuracy([1, 2, 3], [2, 3, 1])).toBe(0);
  });

  it('accepts labels beyond 9: it has no numClasses', () => {
    expect(accuracy([10, 200], [10, 3])).toBe(0.5);
  });

  it('rejects mismatched lengths, empty input and non-labels, naming the argument', () => {
    expectInputError(() => accuracy([0, 1], [0]), 'yPred', /yPred has 1 labels but yTrue has 2/);
    expectInputError(() => accuracy([], []), 'yTrue', /at least one label/);
    expectInputError(
      () => accuracy([0, 1.5], [0, 1]),
      'yTrue',
      /yTrue\[1\] must be an integer class label ≥ 0, got 1.5/,
    );
    expectInputError(() => accuracy([0, 1], [0, -1]), 'yPred', /yPred\[1\] .* got -1/);
    expectInputError(() => accuracy([0, 1], [0, Number.NaN]), 'yPred', /got NaN/);
  });
});
