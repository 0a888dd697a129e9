import type { ImageSet } from './dataset-types.js';
import { DataArgumentError } from './data-argument-error.js';

/**
 * A new `ImageSet` holding copies of the images (and labels) at `indices`, in that order. Throws
 * `DataArgumentError` for an index that is not an integer in `[0, set.count)`.
 */
export function subsetImageSet(set: ImageSet, indices: ArrayLike<number>): ImageSet {
  const pixels = set.rows * set.cols;
  const n = indices.length;
  const images = new Float32Array(n * pixels);
  const labels = new Uint8Array(n);
  for (let k = 0; k < n; k++) {
    const i = indices[k]!;
    if (!(Number.isInteger(i) && i >= 0 && i < set.count)) {
      throw new DataArgumentError(`indices[${k}] is ${i}, expected an integer in [0, ${set.count})`);
    }
    images.set(set.images.subarray(i * pixels, (i + 1) * pixels), k * pixels);
    labels[k] = set.labels[i]!;
  }
  return { images, labels, count: n, rows: set.rows, cols: set.cols };
}
