import type { RawImageSet } from '@mnist/data';

/** The first `limit` images of `set` (views, no copy), or `set` itself when it has no more than that. */
export function limitImageSet(set: RawImageSet, limit: number | undefined): RawImageSet {
  if (limit === undefined || limit >= set.count) return set;
  const pixels = set.rows * set.cols;
  return {
    ...set,
    images: set.images.subarray(0, limit * pixels),
    labels: set.labels.subarray(0, limit),
    count: limit,
  };
}
