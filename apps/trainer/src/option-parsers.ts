import { InvalidArgumentError } from 'commander';

// Number('') is 0 and Number(' 3 ') is 3: only plain decimal notation counts as a number on our command line.
const NUMBER_PATTERN = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

function toNumber(flag: string, raw: string, accepts: string): number {
  const value = NUMBER_PATTERN.test(raw.trim()) ? Number(raw) : Number.NaN;
  if (!Number.isFinite(value)) {
    throw new InvalidArgumentError(`${flag} accepts ${accepts} (got "${raw}").`);
  }
  return value;
}

/**
 * Parser for a flag that takes a whole number of at least `min` (1 for counts, 0 where 0 means
 * "off"). Throws commander's `InvalidArgumentError` naming the flag and what it accepts.
 */
export function wholeNumber(flag: string, min: number): (raw: string) => number {
  const accepts = min === 1 ? 'a whole number of 1 or more' : `a whole number of ${min} or more`;
  return (raw) => {
    const value = toNumber(flag, raw, accepts);
    if (!Number.isInteger(value) || value < min) {
      throw new InvalidArgumentError(`${flag} accepts ${accepts} (got "${raw}").`);
    }
    return value;
  };
}

/** Parser for a flag that takes a number greater than 0 (a learning rate). */
export function positiveNumber(flag: string): (raw: string) => number {
  const accepts = 'a number greater than 0';
  return (raw) => {
    const value = toNumber(flag, raw, accepts);
    if (value <= 0) throw new InvalidArgumentError(`${flag} accepts ${accepts} (got "${raw}").`);
    return value;
  };
}

/** Parser for a flag that takes a fraction in [0, 1) (validation split, dropout). */
export function fraction(flag: string): (raw: string) => number {
  const accepts = 'a number from 0 up to but not including 1';
  return (raw) => {
    const value = toNumber(flag, raw, accepts);
    if (value < 0 || value >= 1) throw new InvalidArgumentError(`${flag} accepts ${accepts} (got "${raw}").`);
    return value;
  };
}

/**
 * Parser for `--filters`: one whole number for every conv layer (`32`) or a comma-separated list,
 * one per layer (`32,64,64`).
 */
export function filterList(flag: string): (raw: string) => number | number[] {
  const accepts = 'a whole number of 1 or more, or a comma-separated list of them such as 32,64,64';
  const one = wholeNumber(flag, 1);
  return (raw) => {
    const parts = raw.split(',');
    try {
      const values = parts.map((part) => one(part));
      return values.length === 1 ? values[0]! : values;
    } catch {
      throw new InvalidArgumentError(`${flag} accepts ${accepts} (got "${raw}").`);
    }
  };
}

/** Parser for `--data-url`: an absolute http(s) URL, kept as written. */
export function httpUrl(flag: string): (raw: string) => string {
  return (raw) => {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new InvalidArgumentError(`${flag} accepts an http:// or https:// URL (got "${raw}").`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new InvalidArgumentError(`${flag} accepts an http:// or https:// URL (got "${raw}").`);
    }
    return raw;
  };
}

/** Parser for a flag naming a file or folder: anything but the empty string. */
export function nonEmptyPath(flag: string): (raw: string) => string {
  return (raw) => {
    if (raw.trim() === '') throw new InvalidArgumentError(`${flag} accepts a file or folder path (got "").`);
    return raw;
  };
}
