import { describe, expect, it } from 'vitest';
import {
  augmentation,
  filterList,
  fraction,
  httpUrl,
  nonEmptyPath,
  positiveNumber,
  targetAccuracy,
  threadCount,
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

  it('read a target accuracy as a fraction, a percentage or off', () => {
    const parse = targetAccuracy('--target-accuracy');
    expect(parse('0.99')).toBe(0.99);
    expect(parse('99%')).toBe(0.99);
    expect(parse('99')).toBe(0.99);
    expect(parse('99.5%')).toBe(0.995);
    expect(parse('1')).toBe(1);
    expect(parse('100')).toBe(1);
    expect(parse('0.5%')).toBe(0.005);
    expect(parse('off')).toBe('off');
    expect(parse('OFF')).toBe('off');
    for (const bad of ['0', '0%', '-0.5', '101', '101%', 'abc', '%', '', 'on']) {
      expect(() => parse(bad)).toThrow(
        `--target-accuracy accepts a fraction such as 0.99, a percentage such as 99% or 99 (above 0, at most 100), or off (got "${bad}")`,
      );
    }
  });

  it('read a thread count as auto or a whole number from 1 to 64', () => {
    const parse = threadCount('--threads');
    expect(parse('auto')).toBe('auto');
    expect(parse('1')).toBe(1);
    expect(parse('64')).toBe(64);
    for (const bad of ['0', '65', '2.5', '-1', 'many', '']) {
      expect(() => parse(bad)).toThrow(
        `--threads accepts auto or a whole number from 1 to 64 (got "${bad}")`,
      );
    }
  });

  it('accept an augmentation as key=value pairs, keys left out 0, or off', () => {
    const parse = augmentation('--augment');
    expect(parse('rotation=15,scale=0.15,shift=0.1')).toEqual({
      rotationDegrees: 15,
      scale: 0.15,
      shift: 0.1,
      shear: 0,
      elastic: null,
    });
    expect(parse(' shear=10 , elastic=34:4 ')).toEqual({
      rotationDegrees: 0,
      scale: 0,
      shift: 0,
      shear: 10,
      elastic: { alpha: 34, sigma: 4 },
    });
    expect(parse('OFF')).toBe('off');
    for (const [bad, why] of [
      ['rotation', '"rotation" is not key=value'],
      ['rotation=1=2', '"rotation=1=2" is not key=value'],
      ['zoom=0.1', 'unknown key "zoom"'],
      ['scale=0.1,scale=0.2', 'scale is given twice'],
      ['elastic=34', 'elastic takes ALPHA:SIGMA, got "34"'],
      ['rotation=200', 'rotation must be a number in [0, 180] (degrees), got 200'],
      ['scale=1', 'scale must be a number in [0, 1), got 1'],
      ['shift=2', 'shift must be a number in [0, 1] (a fraction of the image size), got 2'],
      ['shear=90', 'shear must be a number in [0, 90) (degrees), got 90'],
      ['elastic=34:0', 'elastic sigma must be a finite number > 0 (pixels), got 0'],
    ]) {
      expect(() => parse(bad!), bad).toThrow(`--augment accepts off or comma-separated key=value pairs`);
      expect(() => parse(bad!), bad).toThrow(`(got "${bad}"): ${why}.`);
    }
    expect(() => parse('rotation=ten')).toThrow('(got "ten")');
  });
});
