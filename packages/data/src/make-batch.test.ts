import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { DataArgumentError } from './data-argument-error.js';
import { makeBatch } from './make-batch.js';
import { numberedImageSet } from './testing/image-set.js';

const set = numberedImageSet(20);

describe('makeBatch', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('makes [n,28,28,1] float32 images and one-hot [n,10] float32 labels from a range', () => {
    const before = tf.memory().numTensors;
    const { xs, ys, size } = makeBatch(set, { start: 3, end: 7 });
    expect(size).toBe(4);
    expect(xs.shape).toEqual([4, 28, 28, 1]);
    expect(xs.dtype).toBe('float32');
    expect(ys.shape).toEqual([4, 10]);
    expect(ys.dtype).toBe('float32');
    const pixels = xs.dataSync();
    expect([pixels[0], pixels[783], pixels[784], pixels[3 * 784]]).toEqual([3, 3, 4, 6]);
    expect(ys.arraySync()).toEqual(
      [3, 4, 5, 6].map((d) => Array.from({ length: 10 }, (_, c) => (c === d ? 1 : 0))),
    );
    tf.dispose([xs, ys]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('makes int32 index labels from a list of indices', () => {
    const { xs, ys } = makeBatch(set, [12, 0, 19], 'index');
    expect(ys.shape).toEqual([3]);
    expect(ys.dtype).toBe('int32');
    expect(ys.arraySync()).toEqual([2, 0, 9]);
    const pixels = xs.dataSync();
    expect([pixels[0], pixels[784], pixels[2 * 784 + 500]]).toEqual([12, 0, 19]);
    tf.dispose([xs, ys]);
  });

  it('rejects bad indices, ranges and encodings', () => {
    const before = tf.memory().numTensors;
    expect(() => makeBatch(set, [0, 20])).toThrow('indices[1] is 20, expected an integer in [0, 20)');
    expect(() => makeBatch(set, [1.5])).toThrow(DataArgumentError);
    expect(() => makeBatch(set, [])).toThrow('batch indices must not be empty');
    expect(() => makeBatch(set, { start: 5, end: 21 })).toThrow(
      'batch range must be integers with 0 <= start < end <= 20, got start 5, end 21',
    );
    expect(() => makeBatch(set, { start: 0, end: 1 }, 'onehot' as 'one-hot')).toThrow(
      "encoding must be 'one-hot' or 'index', got onehot",
    );
    expect(tf.memory().numTensors).toBe(before);
  });
});
