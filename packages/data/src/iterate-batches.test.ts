import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { countBatches, iterateBatches } from './iterate-batches.js';
import { shuffledIndices } from './shuffled-indices.js';
import { numberedImageSet } from './testing/image-set.js';

const set = numberedImageSet(103);

describe('iterateBatches', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('covers every image once per epoch and leaks no tensor when batches are disposed', () => {
    const before = tf.memory().numTensors;
    const seen: number[] = [];
    const sizes: number[] = [];
    for (const batch of iterateBatches(set, 10, { shuffleSeed: 5, encoding: 'index' })) {
      sizes.push(batch.size);
      const pixels = batch.xs.dataSync();
      for (let k = 0; k < batch.size; k++) seen.push(pixels[k * 784]!);
      tf.dispose([batch.xs, batch.ys]);
    }
    expect(tf.memory().numTensors).toBe(before);
    expect(sizes).toEqual([10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 3]);
    expect(seen).toEqual(Array.from(shuffledIndices(103, 5)));
    expect(countBatches(103, 10)).toBe(11);
  });

  it('goes in order without a seed and can drop the remainder', () => {
    const firsts: number[] = [];
    for (const batch of iterateBatches(set, 25, { dropRemainder: true })) {
      firsts.push(batch.xs.dataSync()[0]!);
      expect(batch.ys.shape).toEqual([25, 10]);
      tf.dispose([batch.xs, batch.ys]);
    }
    expect(firsts).toEqual([0, 25, 50, 75]);
    expect(countBatches(103, 25, true)).toBe(4);
  });

  it('rejects a batch size that is not a positive integer when called', () => {
    expect(() => iterateBatches(set, 0)).toThrow('batchSize must be a positive integer, got 0');
    expect(() => iterateBatches(set, 2.5)).toThrow('batchSize must be a positive integer, got 2.5');
  });
});
