import { type AugmentationConfig, AugmentationConfigError, checkAugmentationConfig } from '@mnist/data';
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

/** Parser for a flag that takes a number of 0 or more (weight decay, a minimum learning rate). */
export function nonNegativeNumber(flag: string): (raw: string) => number {
  const accepts = 'a number of 0 or more';
  return (raw) => {
    const value = toNumber(flag, raw, accepts);
    if (value < 0) throw new InvalidArgumentError(`${flag} accepts ${accepts} (got "${raw}").`);
    return value;
  };
}

/** Parser for a flag that takes a factor in (0, 1] (a decay rate). */
export function decayFactor(flag: string): (raw: string) => number {
  const accepts = 'a number above 0, at most 1';
  return (raw) => {
    const value = toNumber(flag, raw, accepts);
    if (value <= 0 || value > 1) throw new InvalidArgumentError(`${flag} accepts ${accepts} (got "${raw}").`);
    return value;
  };
}

/** Parser for a flag that takes a fraction in [0, 1) (validation split, dropout, label smoothing). */
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

/**
 * Parser for `--target-accuracy`: a fraction in (0, 1] (`0.99`), a percentage (`99%`, or a bare
 * number above 1 such as `99`, read as percent, up to 100), or `off`. Returns the fraction, or the
 * string `off` (commander turns a parser's null into an empty string, so off needs a value of its own).
 */
export function targetAccuracy(flag: string): (raw: string) => number | 'off' {
  const accepts = 'a fraction such as 0.99, a percentage such as 99% or 99 (above 0, at most 100), or off';
  const refuse = (raw: string) => new InvalidArgumentError(`${flag} accepts ${accepts} (got "${raw}").`);
  return (raw) => {
    const text = raw.trim();
    if (text.toLowerCase() === 'off') return 'off';
    const percent = text.endsWith('%');
    const digits = percent ? text.slice(0, -1) : text;
    if (!NUMBER_PATTERN.test(digits)) throw refuse(raw);
    const value = Number(digits);
    // A bare number above 1 cannot be a fraction: `99` means 99%, as people say it.
    const share = percent || value > 1 ? value / 100 : value;
    if (!(share > 0 && share <= 1)) throw refuse(raw);
    return share;
  };
}

/** The most gradient threads a run may ask for, as `resolveTrainingConfig` of @mnist/train allows. */
export const MAX_THREADS = 64;

/** Parser for `--threads`: `auto` or a whole number of threads from 1 to `MAX_THREADS`. */
export function threadCount(flag: string): (raw: string) => number | 'auto' {
  const accepts = `auto or a whole number from 1 to ${MAX_THREADS}`;
  return (raw) => {
    if (raw.trim().toLowerCase() === 'auto') return 'auto';
    const value = toNumber(flag, raw, accepts);
    if (!Number.isInteger(value) || value < 1 || value > MAX_THREADS) {
      throw new InvalidArgumentError(`${flag} accepts ${accepts} (got "${raw}").`);
    }
    return value;
  };
}

/** The keys of `--augment` and the augmentation fields they set. */
const AUGMENT_KEYS = { rotation: 'rotationDegrees', scale: 'scale', shift: 'shift', shear: 'shear' } as const;

/**
 * Parser for `--augment`: comma-separated `key=value` pairs, `rotation` (degrees), `scale`,
 * `shift` (a fraction of the image size), `shear` (degrees) and `elastic=ALPHA:SIGMA` (pixels),
 * keys left out being 0 (`rotation=15,scale=0.15,shift=0.1`); or `off`. Returns the complete,
 * checked augmentation, or the string `off` (commander turns a parser's null into an empty string).
 */
export function augmentation(flag: string): (raw: string) => AugmentationConfig | 'off' {
  const accepts =
    'off or comma-separated key=value pairs of rotation (degrees), scale, shift (a fraction of the image), ' +
    'shear (degrees) and elastic=ALPHA:SIGMA, such as rotation=15,scale=0.15,shift=0.1';
  const refuse = (raw: string, why: string) =>
    new InvalidArgumentError(`${flag} accepts ${accepts} (got "${raw}"): ${why}.`);
  return (raw) => {
    const text = raw.trim();
    if (text.toLowerCase() === 'off') return 'off';
    const config: Record<string, unknown> = {};
    for (const pair of text.split(',')) {
      const [key = '', value, extra] = pair.split('=').map((part) => part.trim());
      if (value === undefined || extra !== undefined) throw refuse(raw, `"${pair}" is not key=value`);
      if (key === 'elastic') {
        const [alpha, sigma, more] = value.split(':');
        if (sigma === undefined || more !== undefined)
          throw refuse(raw, `elastic takes ALPHA:SIGMA, got "${value}"`);
        config.elastic = { alpha: toNumber(flag, alpha!, accepts), sigma: toNumber(flag, sigma, accepts) };
        continue;
      }
      if (!Object.hasOwn(AUGMENT_KEYS, key)) throw refuse(raw, `unknown key "${key}"`);
      const field = AUGMENT_KEYS[key as keyof typeof AUGMENT_KEYS];
      if (field in config) throw refuse(raw, `${key} is given twice`);
      config[field] = toNumber(flag, value, accepts);
    }
    try {
      return checkAugmentationConfig(config);
    } catch (error) {
      if (!AugmentationConfigError.isInstance(error)) throw error;
      // Said in the flag's words: the data package names the config field.
      const field = error.field.replace(/^augmentation\./, '');
      const key = Object.entries(AUGMENT_KEYS).find(([, f]) => f === field)?.[0] ?? field.replace('.', ' ');
      throw refuse(raw, `${key} ${error.message.replace(/^"[^"]+" /, '')}`);
    }
  };
}
