import { describeValue } from '@mnist/core';
import { AugmentationConfigError } from './augmentation-config-error.js';

/**
 * Elastic distortion (Simard et al., 2003): a random displacement field, each component drawn
 * uniformly in [-1, 1] per pixel, smoothed with a Gaussian of standard deviation `sigma` pixels
 * and scaled by `alpha` pixels. `{ alpha: 34, sigma: 4 }` is the paper's setting for MNIST.
 */
export interface ElasticDistortionConfig {
  /** Scale of the smoothed field, in pixels; >= 0. */
  alpha: number;
  /** Standard deviation of the smoothing Gaussian, in pixels; > 0 (the kernel is cut at 3 sigma). */
  sigma: number;
}

/**
 * A seeded random affine augmentation, drawn afresh per image: angle ~ U(-rotationDegrees,
 * +rotationDegrees), zoom ~ U(1 - scale, 1 + scale) (the same in x and y), shift in x and in y
 * each ~ U(-shift, +shift) times the image's width or height, shear angle along x ~ U(-shear,
 * +shear) degrees; then, when `elastic` is set, an elastic distortion. All zero and `elastic: null`
 * leaves every image exactly as it was.
 */
export interface AugmentationConfig {
  /** Largest rotation either way, in degrees; in [0, 180]. */
  rotationDegrees: number;
  /** Largest relative zoom in or out; in [0, 1). */
  scale: number;
  /** Largest shift either way, as a fraction of the image's size; in [0, 1]. */
  shift: number;
  /** Largest shear angle either way along x, in degrees; in [0, 90). */
  shear: number;
  /** Elastic distortion after the affine map, or `null` for none. */
  elastic: ElasticDistortionConfig | null;
}

const CONFIG_KEYS: readonly (keyof AugmentationConfig)[] = [
  'rotationDegrees',
  'scale',
  'shift',
  'shear',
  'elastic',
];
const ELASTIC_KEYS: readonly (keyof ElasticDistortionConfig)[] = ['alpha', 'sigma'];

/**
 * Checks every field of an augmentation config and returns a fresh, complete copy of it; a field
 * left out is off (0, or `null` for `elastic`). `field` is the name used in messages.
 *
 * @throws {AugmentationConfigError} naming the first unknown or out-of-range field, what
 *   it accepts and what it got.
 */
export function checkAugmentationConfig(value: unknown, field = 'augmentation'): AugmentationConfig {
  const object = checkObject(
    field,
    value,
    CONFIG_KEYS,
    'an object { rotationDegrees, scale, shift, shear, elastic }',
  );
  // A field left out (or undefined) is off, so a config names only the transforms it uses.
  const number = (key: string, accepts: string, ok: (x: number) => boolean): number => {
    const x = object[key] ?? 0;
    if (!(typeof x === 'number' && Number.isFinite(x) && ok(x))) fail(`${field}.${key}`, accepts, x);
    return x as number;
  };
  const rotationDegrees = number(
    'rotationDegrees',
    'a number in [0, 180] (degrees)',
    (x) => x >= 0 && x <= 180,
  );
  const scale = number('scale', 'a number in [0, 1)', (x) => x >= 0 && x < 1);
  const shift = number('shift', 'a number in [0, 1] (a fraction of the image size)', (x) => x >= 0 && x <= 1);
  const shear = number('shear', 'a number in [0, 90) (degrees)', (x) => x >= 0 && x < 90);
  let elastic: ElasticDistortionConfig | null = null;
  if (object.elastic !== null && object.elastic !== undefined) {
    const where = `${field}.elastic`;
    const e = checkObject(where, object.elastic, ELASTIC_KEYS, 'null or an object { alpha, sigma }');
    const alpha = e.alpha;
    if (!(typeof alpha === 'number' && Number.isFinite(alpha) && alpha >= 0)) {
      fail(`${where}.alpha`, 'a finite number >= 0 (pixels)', alpha);
    }
    const sigma = e.sigma;
    if (!(typeof sigma === 'number' && Number.isFinite(sigma) && sigma > 0)) {
      fail(`${where}.sigma`, 'a finite number > 0 (pixels)', sigma);
    }
    elastic = { alpha: alpha as number, sigma: sigma as number };
  }
  return { rotationDegrees, scale, shift, shear, elastic };
}

/** Whether `config` changes no image: every range 0 and no elastic distortion. */
export function isIdentityAugmentation(config: AugmentationConfig): boolean {
  return (
    config.rotationDegrees === 0 &&
    config.scale === 0 &&
    config.shift === 0 &&
    config.shear === 0 &&
    config.elastic === null
  );
}

function checkObject(
  field: string,
  value: unknown,
  keys: readonly string[],
  accepts: string,
): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(field, accepts, value);
  const object = value as Record<string, unknown>;
  const unknown = Object.keys(object).filter((key) => !keys.includes(key));
  if (unknown.length > 0) {
    throw new AugmentationConfigError(
      `${field}.${unknown[0]}`,
      `"${field}" has unknown field${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `"${k}"`).join(', ')}; known fields: ${keys.join(', ')}`,
    );
  }
  return object;
}

function fail(field: string, accepts: string, got: unknown): never {
  throw new AugmentationConfigError(field, `"${field}" must be ${accepts}, got ${describeValue(got)}`);
}
