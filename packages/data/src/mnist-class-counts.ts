/**
 * Images per digit 0-9 in MNIST as published: 60,000 training and 10,000 test images. Useful to
 * check that a copy is complete and to weigh classes.
 */
export const MNIST_CLASS_COUNTS: Readonly<{ train: readonly number[]; test: readonly number[] }> =
  Object.freeze({
    train: Object.freeze([5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]),
    test: Object.freeze([980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]),
  });
