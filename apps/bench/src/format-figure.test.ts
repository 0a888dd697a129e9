import { describe, expect, it } from 'vitest';
import { formatFigure, formatRatio, ratio } from './format-figure.js';

describe('formatFigure', () => {
  it('keeps three significant digits and groups thousands', () => {
    expect(formatFigure(1234.56)).toBe('1,235');
    expect(formatFigure(123.456)).toBe('123');
    expect(formatFigure(56.789)).toBe('56.8');
    expect(formatFigure(1.5)).toBe('1.50');
    expect(formatFigure(0.012345)).toBe('0.0123');
    expect(formatFigure(0)).toBe('0');
  });

  it('shows n/a for a missing or non-finite figure', () => {
    expect(formatFigure(null)).toBe('n/a');
    expect(formatFigure(undefined)).toBe('n/a');
    expect(formatFigure(Number.NaN)).toBe('n/a');
    expect(formatFigure(Number.POSITIVE_INFINITY)).toBe('n/a');
  });
});

describe('ratio', () => {
  it('divides ours by the reference', () => {
    expect(ratio(300, 600)).toBe(0.5);
    expect(ratio(3, 1)).toBe(3);
  });

  it('is null without both figures or with a zero reference', () => {
    expect(ratio(null, 2)).toBeNull();
    expect(ratio(2, undefined)).toBeNull();
    expect(ratio(2, 0)).toBeNull();
    expect(ratio(Number.NaN, 2)).toBeNull();
  });

  it('formats as a two-decimal multiplier', () => {
    expect(formatRatio(0.4249)).toBe('0.42×');
    expect(formatRatio(12)).toBe('12.00×');
    expect(formatRatio(null)).toBe('n/a');
  });
});
