import type { MnistDataset, RawImageSet } from '@mnist/data';

/** How many MNIST images the teach view ships, and from where. */
export interface TeachSetSizes {
  /** Training images replayed beside a person's examples, so fine-tuning does not forget MNIST. */
  replay: number;
  /** Test images, never trained on, that both models are measured on. */
  heldBack: number;
}

/** What the teach view fetches when teaching starts: 384 training images, 1,000 test images. */
export const TEACH_SET_SIZES: TeachSetSizes = { replay: 384, heldBack: 1000 };

/**
 * The two small sets the teach view uses: the first `sizes.replay` MNIST training images, and the
 * last `sizes.heldBack` test images (the gallery shows the first ones; the last ones keep the two
 * apart). Fixed picks, so the page's held-back accuracy is the same figure on every build.
 */
export function pickTeachSets(
  dataset: MnistDataset,
  sizes: TeachSetSizes = TEACH_SET_SIZES,
): { replay: RawImageSet; heldBack: RawImageSet } {
  return {
    replay: slice(dataset.train, 0, sizes.replay),
    heldBack: slice(dataset.test, dataset.test.count - sizes.heldBack, dataset.test.count),
  };
}

function slice(set: RawImageSet, start: number, end: number): RawImageSet {
  if (!(Number.isInteger(start) && start >= 0 && end <= set.count && start < end)) {
    throw new RangeError(`pickTeachSets: images ${start}..${end} are not inside a set of ${set.count}`);
  }
  const size = set.rows * set.cols;
  return {
    images: set.images.slice(start * size, end * size),
    labels: set.labels.slice(start, end),
    count: end - start,
    rows: set.rows,
    cols: set.cols,
  };
}
