import { describe, expect, it } from 'vitest';
import { formatPercent } from './render-probabilities.js';

describe('formatPercent', () => {
  it('shows whole percents from 10%, one decimal below, and never rounds a tiny value to 0', () => {
    expect(formatPercent(0.97312)).toBe('97%');
    expect(formatPercent(0.99996)).toBe('100%');
    expect(formatPercent(0.0342)).toBe('3.4%');
    expect(formatPercent(0.00049)).toBe('<0.1%');
    expect(formatPercent(0)).toBe('<0.1%');
  });
});
