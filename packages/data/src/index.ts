// Browser-safe entry: no Node API is imported from here (see `./node` for file and network sources).
export type {
  Batch,
  ImageSet,
  LabelEncoding,
  MnistDataset,
  PixelStats,
  RawImageSet,
  SplitName,
  TrainValidationSplit,
} from './dataset-types.js';
export { IdxFormatError } from './idx-format-error.js';
export { DataArgumentError } from './data-argument-error.js';
export { parseIdxImages } from './parse-idx-images.js';
export type { IdxImages } from './parse-idx-images.js';
export { parseIdxLabels } from './parse-idx-labels.js';
export { decodeImageSet } from './decode-image-set.js';
export { isGzip } from './gunzip.js';
export { IDX_IMAGES_MAGIC, IDX_LABELS_MAGIC } from './read-idx.js';
export { MNIST_FILE_NAMES, MNIST_IDX_SHA256, mnistFileNames } from './mnist-files.js';
export type { MnistFileName } from './mnist-files.js';
export { MNIST_CLASS_COUNTS } from './mnist-class-counts.js';
export { countLabels } from './count-labels.js';
export { createRng } from './create-rng.js';
export { shuffledIndices } from './shuffled-indices.js';
export { normalizeImages } from './normalize-images.js';
export { computePixelStats } from './compute-pixel-stats.js';
export { subsetImageSet } from './subset-image-set.js';
export { shuffleImageSet } from './shuffle-image-set.js';
export { splitTrainValidation } from './split-train-validation.js';
export { makeBatch } from './make-batch.js';
export { countBatches, iterateBatches } from './iterate-batches.js';
export { augmentImageSet } from './augment-image-set.js';
export { checkAugmentationConfig } from './augmentation-config.js';
export type { AugmentationConfig, ElasticDistortionConfig } from './augmentation-config.js';
export { AugmentationConfigError } from './augmentation-config-error.js';
export { transformImage } from './transform-image.js';
export type { ImageTransform } from './transform-image.js';
export type { IterateBatchesOptions } from './iterate-batches.js';
