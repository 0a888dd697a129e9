import { describe, expect, it } from 'vitest';
import { describeValue } from './describe-value.js';

describe('describeValue', () => {
  it('quotes strings, writes objects and arrays as JSON and the rest as String does', () => {
    expect(describeValue('fast')).toBe("'fast'");
    expect(describeValue({ scale: 2 })).toBe('{"scale":2}');
    expect(describeValue([1, 'a'])).toBe('[1,"a"]');
    expect(describeValue(null)).toBe('null');
    expect(describeValue(undefined)).toBe('undefined');
    expect(describeValue(Number.NaN)).toBe('NaN');
    expect(describeValue(-0.5)).toBe('-0.5');
  });

  it('names an object JSON cannot write by its tag', () => {
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    expect(describeValue(cycle)).toBe('[object Object]');
  });
});
