import { describe, expect, it } from 'vitest';
import { argmaxRows } from './argmax-rows.js';
import { expectInputError } from './test-helpers.js';

describe('argmaxRows', () => {
  it('returns the column of each row maximum', () => {
    const probabilities = [0.1, 0.7, 0.2, 0.5, 0.3, 0.2, 0, 0, 1, -3, -1, -2];
    expect(argmaxRows(probabilities, 3)).toEqual(Uint8Array.of(1, 0, 2, 1));
  });

  it('defaults to 10 columns', () => {
    const probabilities = new Float32Array(20);
    probabilities[9] = 1;
    probabilities[10 + 4] = 1;
    expect(argmaxRows(probabilities)).toEqual(Uint8Array.of(9, 4));
  });

  it('breaks ties towards the lowest class, like numpy.argmax', () => {
    expect(argmaxRows([0.4, 0.2, 0.4, 0.25, 0.25, 0.5, 1, 1, 1], 3)).toEqual(Uint8Array.of(0, 2, 0));
  });

  it('returns an empty array for no rows', () => {
    expect(argmaxRows([], 10)).toEqual(new Uint8Array(0));
  });

  it('rejects ragged rows, non-finite scores and class counts that do not fit a Uint8Array', () => {
    expectInputError(
      () => argmaxRows([0.1, 0.9, 0.5], 2),
      'probabilities',
      /whole number of rows .* got 3 values/,
    );
    expectInputError(
      () => argmaxRows([0.1, Number.NaN], 2),
      'probabilities',
      /probabilities\[1\] \(row 0, class 1\) must be a finite number, got NaN/,
    );
    expectInputError(() => argmaxRows([1], 0), 'numClasses', /integer in \[1, 256\], got 0/);
    expectInputError(() => argmaxRows(new Float64Array(257), 257), 'numClasses', /got 257/);
  });
});
