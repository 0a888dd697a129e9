import type { ImageSet } from '../dataset-types.js';

/** Test helper: an ImageSet of `count` 28x28 images, image i filled with i, label i % 10. */
export function numberedImageSet(count: number): ImageSet {
  const images = new Float32Array(count * 784);
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    images.fill(i, i * 784, (i + 1) * 784);
    labels[i] = i % 10;
  }
  return { images, labels, count, rows: 28, cols: 28 };
}
