// Convolution shapes the gradient tests sweep (tests only): strides 1 and 2, 'valid', 'same' and
// explicit padding, odd sizes, 1..64 channels (the model's 1-32-64 layers among them, and channel
// counts off the kernels' vector widths of 4 and 8).
import type * as tf from '@tensorflow/tfjs-core';

/** One forward convolution whose gradients the tests check. */
export interface ConvCase {
  x: [number, number, number, number];
  filter: [number, number, number, number];
  strides: number | [number, number];
  pad: 'valid' | 'same' | tf.backend_util.ExplicitPadding;
}

/** The sweep. */
export const convCases: ConvCase[] = [
  { x: [2, 28, 28, 1], filter: [3, 3, 1, 32], strides: 1, pad: 'same' },
  { x: [2, 14, 14, 32], filter: [3, 3, 32, 64], strides: 1, pad: 'same' },
  { x: [3, 7, 7, 64], filter: [3, 3, 64, 64], strides: 1, pad: 'same' },
  { x: [2, 9, 11, 24], filter: [3, 3, 24, 40], strides: 2, pad: 'same' },
  { x: [2, 9, 9, 5], filter: [3, 3, 5, 7], strides: 1, pad: 'same' },
  { x: [1, 6, 13, 36], filter: [3, 3, 36, 13], strides: 1, pad: 'valid' },
  { x: [2, 5, 5, 64], filter: [1, 1, 64, 3], strides: 1, pad: 'valid' },
  { x: [2, 9, 9, 1], filter: [3, 3, 1, 8], strides: 1, pad: 'valid' },
  { x: [2, 9, 9, 1], filter: [3, 3, 1, 8], strides: 1, pad: 'same' },
  { x: [3, 7, 11, 3], filter: [3, 3, 3, 16], strides: 2, pad: 'valid' },
  { x: [3, 7, 11, 3], filter: [3, 3, 3, 16], strides: 2, pad: 'same' },
  { x: [2, 10, 10, 8], filter: [5, 5, 8, 3], strides: 2, pad: 'same' },
  { x: [2, 10, 9, 8], filter: [3, 3, 8, 16], strides: 2, pad: 'valid' },
  { x: [1, 8, 8, 16], filter: [3, 3, 16, 16], strides: 1, pad: 'same' },
  { x: [4, 13, 13, 16], filter: [3, 3, 16, 8], strides: 1, pad: 'valid' },
  { x: [2, 6, 5, 8], filter: [2, 2, 8, 1], strides: 2, pad: 'valid' },
  { x: [2, 6, 7, 3], filter: [2, 2, 3, 5], strides: 1, pad: 'same' },
  { x: [2, 9, 8, 3], filter: [3, 3, 3, 4], strides: [1, 2], pad: 'same' },
  {
    x: [2, 8, 8, 3],
    filter: [3, 3, 3, 4],
    strides: 1,
    pad: [
      [0, 0],
      [1, 2],
      [2, 0],
      [0, 0],
    ],
  },
  {
    x: [2, 8, 8, 3],
    filter: [3, 3, 3, 4],
    strides: 2,
    pad: [
      [0, 0],
      [3, 0],
      [0, 4],
      [0, 0],
    ],
  },
];
