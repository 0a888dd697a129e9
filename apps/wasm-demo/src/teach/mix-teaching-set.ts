import type { ImageSet } from '@mnist/data';
import type { TeachExample } from './teach-protocol.js';

/**
 * The set a fine-tune trains on: the replayed MNIST images followed by `copies` copies of each of
 * the person's examples. A handful of drawings among hundreds of MNIST images would barely move
 * the weights in a few epochs; copies give them weight, the replayed images keep the model from
 * forgetting the digits nobody corrected. `train()` shuffles the whole set every epoch.
 *
 * @throws RangeError for an example that is not one 28x28 image of the replay's size or a label outside 0-9.
 */
export function mixTeachingSet(
  replay: ImageSet,
  examples: readonly TeachExample[],
  copies: number,
): ImageSet {
  const size = replay.rows * replay.cols;
  if (!(Number.isInteger(copies) && copies >= 1)) {
    throw new RangeError(`mixTeachingSet: copies must be a whole number >= 1, got ${copies}`);
  }
  const count = replay.count + examples.length * copies;
  const images = new Float32Array(count * size);
  const labels = new Uint8Array(count);
  images.set(replay.images.subarray(0, replay.count * size));
  labels.set(replay.labels.subarray(0, replay.count));
  let slot = replay.count;
  examples.forEach((example, i) => {
    if (example.pixels.length !== size) {
      throw new RangeError(
        `mixTeachingSet: example ${i} has ${example.pixels.length} pixels, expected ${size}`,
      );
    }
    if (!(Number.isInteger(example.label) && example.label >= 0 && example.label <= 9)) {
      throw new RangeError(`mixTeachingSet: example ${i} has label ${example.label}, expected a digit 0-9`);
    }
    for (let c = 0; c < copies; c++, slot++) {
      images.set(example.pixels, slot * size);
      labels[slot] = example.label;
    }
  });
  return { images, labels, count, rows: replay.rows, cols: replay.cols };
}
