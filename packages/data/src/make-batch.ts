import { NUM_CLASSES } from '@mnist/core';
import { tensor1d, tensor2d, tensor4d } from '@tensorflow/tfjs-core';
import type { Batch, ImageSet, LabelEncoding } from './dataset-types.js';
import { DataArgumentError } from './data-argument-error.js';

/**
 * Makes one batch of tensors from `set`: the images at `indices` (or the range `start` to `end`,
 * end excluded) as `xs` `[n, rows, cols, 1]` float32, and their labels as `ys`, one-hot `[n, 10]`
 * float32 (default) or `[n]` int32 class indices. Tensors are built straight from typed arrays, so
 * no intermediate tensor exists; the caller owns `xs` and `ys` and must dispose them.
 */
export function makeBatch(
  set: ImageSet,
  indices: ArrayLike<number> | { start: number; end: number },
  encoding: LabelEncoding = 'one-hot',
): Batch {
  if (encoding !== 'one-hot' && encoding !== 'index') {
    throw new DataArgumentError(`encoding must be 'one-hot' or 'index', got ${String(encoding)}`);
  }
  const order = toIndexList(set, indices);
  const n = order.length;
  const pixels = set.rows * set.cols;
  const xs = new Float32Array(n * pixels);
  const oneHot = encoding === 'one-hot' ? new Float32Array(n * NUM_CLASSES) : null;
  const index = encoding === 'index' ? new Int32Array(n) : null;
  if ('start' in order) {
    // A contiguous range is one copy instead of n.
    xs.set(set.images.subarray(order.start * pixels, order.end * pixels));
  }
  for (let k = 0; k < n; k++) {
    const i = 'start' in order ? order.start + k : order.list[k]!;
    if (!('start' in order)) {
      if (!(Number.isInteger(i) && i >= 0 && i < set.count)) {
        throw new DataArgumentError(`indices[${k}] is ${i}, expected an integer in [0, ${set.count})`);
      }
      xs.set(set.images.subarray(i * pixels, (i + 1) * pixels), k * pixels);
    }
    const label = set.labels[i]!;
    if (oneHot) oneHot[k * NUM_CLASSES + label] = 1;
    else index![k] = label;
  }
  const ys = oneHot ? tensor2d(oneHot, [n, NUM_CLASSES], 'float32') : tensor1d(index!, 'int32');
  return { xs: tensor4d(xs, [n, set.rows, set.cols, 1], 'float32'), ys, size: n };
}

type IndexList = { start: number; end: number; length: number } | { list: ArrayLike<number>; length: number };

function toIndexList(set: ImageSet, indices: ArrayLike<number> | { start: number; end: number }): IndexList {
  if ('start' in indices && 'end' in indices && typeof indices.start === 'number') {
    const { start, end } = indices;
    if (
      !(Number.isInteger(start) && Number.isInteger(end) && start >= 0 && start < end && end <= set.count)
    ) {
      throw new DataArgumentError(
        `batch range must be integers with 0 <= start < end <= ${set.count}, got start ${start}, end ${end}`,
      );
    }
    return { start, end, length: end - start };
  }
  const list = indices as ArrayLike<number>;
  if (list.length === 0) throw new DataArgumentError('batch indices must not be empty');
  return { list, length: list.length };
}
