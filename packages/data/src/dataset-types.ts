import type { Tensor1D, Tensor2D, Tensor4D } from '@tensorflow/tfjs-core';

/** Which half of MNIST a set of images comes from. */
export type SplitName = 'train' | 't10k';

/**
 * Images and labels as decoded from IDX files: one byte per pixel (0 = background, 255 = ink),
 * row-major, `count * rows * cols` pixels, and one label 0-9 per image.
 */
export interface RawImageSet {
  images: Uint8Array;
  labels: Uint8Array;
  count: number;
  rows: number;
  cols: number;
}

/** The two halves of MNIST as published: 60,000 training and 10,000 test images. */
export interface MnistDataset {
  train: RawImageSet;
  test: RawImageSet;
}

/** Images as float32 model input (`[0,1]` or standardized), with their labels. */
export interface ImageSet {
  images: Float32Array;
  labels: Uint8Array;
  count: number;
  rows: number;
  cols: number;
}

/** A training set and the validation set held out from it. */
export interface TrainValidationSplit {
  train: ImageSet;
  validation: ImageSet;
}

/** Mean and standard deviation of training pixels, for optional standardization. */
export interface PixelStats {
  mean: number;
  std: number;
}

/** How labels are encoded in a batch. */
export type LabelEncoding = 'one-hot' | 'index';

/**
 * One batch as tensors: `xs` is `[n, rows, cols, 1]` float32; `ys` is `[n, 10]` one-hot float32 or
 * `[n]` int32 class indices. The consumer owns both tensors and must dispose them.
 */
export interface Batch {
  xs: Tensor4D;
  ys: Tensor2D | Tensor1D;
  size: number;
}
