import { describe, expect, it } from 'vitest';
import { confusionMatrix } from './confusion-matrix.js';
import { expectInputError } from './test-helpers.js';

describe('confusionMatrix', () => {
  it('counts true labels by row and predicted labels by column', () => {
    expect(confusionMatrix([0, 0, 1, 2, 2, 2], [0, 1, 1, 2, 0, 2], 3)).toEqual([
      [1, 1, 0],
      [0, 1, 0],
      [1, 0, 2],
    ]);
  });

  it('is 10 × 10 by default, with rows summing to the supports', () => {
    const yTrue = Uint8Array.of(9, 9, 9, 0);
    const matrix = confusionMatrix(yTrue, Uint8Array.of(9, 3, 9, 9));
    expect(matrix).toHaveLength(10);
    for (const row of matrix) expect(row).toHaveLength(10);
    expect(matrix[9]).toEqual([0, 0, 0, 1, 0, 0, 0, 0, 0, 2]);
    expect(matrix[0]).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    expect(matrix.flat().reduce((a, b) => a + b, 0)).toBe(4);
  });

  it('gives zeros for empty input and fresh arrays on every call', () => {
    const a = confusionMatrix([], [], 2);
    expect(a).toEqual([
      [0, 0],
      [0, 0],
    ]);
    a[0]![0] = 5;
    expect(confusionMatrix([], [], 2)[0]![0]).toBe(0);
  });

  it('rejects mismatched lengths and out-of-range labels', () => {
    expectInputError(() => confusionMatrix([0, 1], [0], 2), 'yPred', /yPred has 1 labels but yTrue has 2/);
    expectInputError(() => confusionMatrix([0, 10], [0, 1]), 'yTrue', /yTrue\[1\] .* in \[0, 9\], got 10/);
    expectInputError(() => confusionMatrix([0, 1], [0, 3], 3), 'yPred', /yPred\[1\] .* in \[0, 2\], got 3/);
    expectInputError(() => confusionMatrix([0], [0], 2.5), 'numClasses', /got 2.5/);
  });
});
