import type { Batch, ImageSet, LabelEncoding } from './dataset-types.js';
import { DataArgumentError } from './data-argument-error.js';
import { makeBatch } from './make-batch.js';
import { shuffledIndices } from './shuffled-indices.js';

/** Options of `iterateBatches`. */
export interface IterateBatchesOptions {
  /** Label encoding of every batch; default `'one-hot'`. */
  encoding?: LabelEncoding;
  /** Visit the images in the order of `shuffledIndices(count, shuffleSeed)`; default: in order. */
  shuffleSeed?: number;
  /** Skip a last batch smaller than `batchSize`; default `false`. */
  dropRemainder?: boolean;
}

/** Number of batches `iterateBatches` yields for `count` images. */
export function countBatches(count: number, batchSize: number, dropRemainder = false): number {
  return dropRemainder ? Math.floor(count / batchSize) : Math.ceil(count / batchSize);
}

/**
 * Yields one epoch of batches over `set`, each made with `makeBatch` only when requested, so at
 * most one batch's tensors exist at a time if the consumer disposes each batch before the next.
 * Arguments are checked when called, not on the first `next()`.
 */
export function iterateBatches(
  set: ImageSet,
  batchSize: number,
  options: IterateBatchesOptions = {},
): Generator<Batch, void, undefined> {
  if (!(Number.isInteger(batchSize) && batchSize > 0)) {
    throw new DataArgumentError(`batchSize must be a positive integer, got ${batchSize}`);
  }
  const { encoding = 'one-hot', shuffleSeed, dropRemainder = false } = options;
  const order = shuffleSeed === undefined ? null : shuffledIndices(set.count, shuffleSeed);
  return (function* () {
    for (let start = 0; start < set.count; start += batchSize) {
      const end = Math.min(start + batchSize, set.count);
      if (dropRemainder && end - start < batchSize) return;
      yield makeBatch(set, order ? order.subarray(start, end) : { start, end }, encoding);
    }
  })();
}
