import type { ImageSet } from '@mnist/data';

/** A view of `set`'s images `[start, end)`, without copying. Internal. */
export function imageSubset(set: ImageSet, start: number, end: number): ImageSet {
  const pixels = set.rows * set.cols;
  return {
    images: set.images.subarray(start * pixels, end * pixels),
    labels: set.labels.subarray(start, end),
    count: end - start,
    rows: set.rows,
    cols: set.cols,
  };
}
