import {
  type AugmentationConfig,
  checkAugmentationConfig,
  isIdentityAugmentation,
} from './augmentation-config.js';
import { createRng } from './create-rng.js';
import { createElasticField } from './elastic-field.js';
import { DataArgumentError } from './data-argument-error.js';
import type { ImageSet } from './dataset-types.js';
import { type ImageTransform, inverseAffine, warp } from './transform-image.js';

/**
 * A copy of `set` with image `k` randomly transformed as `config` says, its draws from
 * `createRng(seeds[k])`: the same seed gives the same image on every platform, whatever else is in
 * the set. Per image, in this order: the angle, the zoom, the x shift, the y shift, the shear
 * (five draws whatever the ranges), then, with `elastic`, the x and then the y field (one draw
 * per pixel each). The affine map is inverse-mapped about the image centre with bilinear
 * interpolation, 0 outside the image (so the images should be on the `[0, 1]` scale, whose
 * background is 0); see `transformImage` for the exact map. A config that changes nothing (every
 * range 0, no elastic) copies the images bit for bit. Labels are shared with `set`, not copied.
 *
 * @throws {AugmentationConfigError} for a bad config; {@link DataArgumentError} when `seeds` does
 *   not hold one seed per image.
 */
export function augmentImageSet(
  set: ImageSet,
  config: AugmentationConfig,
  seeds: ArrayLike<number>,
): ImageSet {
  const checked = checkAugmentationConfig(config);
  const { count, rows, cols } = set;
  if (seeds.length !== count) {
    throw new DataArgumentError(`seeds must hold one seed per image (${count}), got ${seeds.length}`);
  }
  const pixels = rows * cols;
  const images = new Float32Array(count * pixels);
  if (isIdentityAugmentation(checked)) {
    images.set(set.images.subarray(0, count * pixels));
    return { images, labels: set.labels, count, rows, cols };
  }
  const elastic = checked.elastic === null ? null : createElasticField(checked.elastic, rows, cols);
  const transform: ImageTransform = { angleDegrees: 0, zoom: 1, shiftX: 0, shiftY: 0, shearDegrees: 0 };
  for (let k = 0; k < count; k++) {
    const rng = createRng(seeds[k]!);
    // U(-r, +r) as (2u - 1) r: exactly 0 for a range of 0.
    transform.angleDegrees = (2 * rng() - 1) * checked.rotationDegrees;
    transform.zoom = 1 + (2 * rng() - 1) * checked.scale;
    transform.shiftX = (2 * rng() - 1) * checked.shift * cols;
    transform.shiftY = (2 * rng() - 1) * checked.shift * rows;
    transform.shearDegrees = (2 * rng() - 1) * checked.shear;
    const field = elastic === null ? null : elastic.draw(rng);
    warp(set.images, k * pixels, images, k * pixels, rows, cols, inverseAffine(transform, rows, cols), field);
  }
  return { images, labels: set.labels, count, rows, cols };
}
