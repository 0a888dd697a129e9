import { type AugmentationConfig, augmentImageSet, normalizeImages, type RawImageSet } from '@mnist/data';

/** One training image before and after one draw of the run's augmentation, as 0-255 pixels. */
export interface AugmentedPair {
  /** Index of the image in the training images. */
  index: number;
  original: Uint8Array;
  augmented: Uint8Array;
}

/**
 * The first `count` training images of `train` beside one random draw each of `augmentation`, for
 * the report: drawn from `seed` and the image's index (the same report for the same run; the
 * training epochs draw their own transforms from the run seed, so these are examples of them).
 */
export function augmentationStrip(
  train: RawImageSet,
  augmentation: AugmentationConfig,
  seed: number,
  count = 8,
): AugmentedPair[] {
  const n = Math.min(count, train.count);
  const pixels = train.rows * train.cols;
  const originals = {
    ...train,
    images: train.images.subarray(0, n * pixels),
    labels: train.labels.subarray(0, n),
    count: n,
  };
  const seeds = Uint32Array.from({ length: n }, (_, k) => (seed + k) >>> 0);
  const augmented = augmentImageSet(normalizeImages(originals), augmentation, seeds);
  return Array.from({ length: n }, (_, k) => ({
    index: k,
    original: originals.images.slice(k * pixels, (k + 1) * pixels),
    // Bilinear sampling of [0, 1] pixels stays in [0, 1]; the clamp only guards the rounding.
    augmented: Uint8Array.from(augmented.images.subarray(k * pixels, (k + 1) * pixels), (v) =>
      Math.min(255, Math.max(0, Math.round(v * 255))),
    ),
  }));
}
