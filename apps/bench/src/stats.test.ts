import { describe, expect, it } from 'vitest';
import { BenchError } from './bench-error.js';
import { median, percentile } from './stats.js';

describe('median', () => {
  it('takes the middle value of an odd count, whatever the order', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([42])).toBe(42);
  });

  it('averages the two middle values of an even count', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('does not reorder its input', () => {
    const values = [3, 1, 2];
    median(values);
    expect(values).toEqual([3, 1, 2]);
  });
});

describe('percentile', () => {
  it('interpolates between ranks like numpy.percentile', () => {
    const values = Array.from({ length: 1000 }, (_, i) => i + 1);
    // numpy.percentile(range(1, 1001), 95) == 950.05
    expect(percentile(values, 95)).toBeCloseTo(950.05, 10);
    expect(percentile([10, 20, 30, 40, 50], 95)).toBeCloseTo(48, 10);
    expect(percentile([7, 1], 0)).toBe(1);
    expect(percentile([7, 1], 100)).toBe(7);
  });

  it('rejects an empty list and an out-of-range p', () => {
    expect(() => percentile([], 50)).toThrow(BenchError);
    expect(() => percentile([1], 101)).toThrow(/p in \[0, 100\]/);
    expect(() => percentile([1], Number.NaN)).toThrow(BenchError);
  });
});
