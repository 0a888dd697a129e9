import { describe, expect, it } from 'vitest';
import {
  filterList,
  fraction,
  httpUrl,
  nonEmptyPath,
  positiveNumber,
  wholeNumber,
} from './option-parsers.js';

describe('option parsers', () => {
  it('accept whole numbers at or above the minimum in plain notation', () => {
    expect(wholeNumber('--n', 1)('12')).toBe(12);
    expect(wholeNumber('--n', 0)('0')).toBe(0);
    expect(wholeNumber('--n', 1)('1e3')).toBe(1000);
    for (const bad of ['0', '-2', '2.5', 'Infinity', ' ', '12abc', '0x10']) {
      expect(() => wholeNumber('--n', 1)(bad)).toThrow(
        `--n accepts a whole number of 1 or more (got "${bad}")`,
      );
    }
  });

  it('accept positive numbers and fractions in [0, 1)', () => {
    expect(positiveNumber('--lr')('.001')).toBe(0.001);
    expect(() => positiveNumber('--lr')('-1')).toThrow('--lr accepts a number greater than 0');
    expect(fraction('--f')('0')).toBe(0);
    expect(fraction('--f')('0.999')).toBe(0.999);
    expect(() => fraction('--f')('1')).toThrow('--f accepts a number from 0 up to but not including 1');
  });

  it('accept filter lists, http(s) URLs and non-empty paths', () => {
    expect(filterList('--filters')('4,8,16')).toEqual([4, 8, 16]);
    expect(filterList('--filters')('4')).toBe(4);
    expect(() => filterList('--filters')('4,0')).toThrow('--filters accepts');
    expect(httpUrl('--u')('https://example.com/m/')).toBe('https://example.com/m/');
    expect(() => httpUrl('--u')('file:///tmp')).toThrow('--u accepts an http:// or https:// URL');
    expect(nonEmptyPath('--out')('x')).toBe('x');
    expect(() => nonEmptyPath('--out')('  ')).toThrow('--out accepts a file or folder path');
  });
});
