import '@tensorflow/tfjs-backend-cpu';
import { type ImageSet, makeBatch } from '@mnist/data';
import { memory, setBackend } from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTrainingBatchMaker, makeTrainingBatch } from './make-training-batch.js';

const AUGMENT = { rotationDegrees: 15, scale: 0.15, shift: 0.1, shear: 5, elastic: { alpha: 20, sigma: 4 } };

/** 40 images of a bar whose place depends on the image, labels 0-9. */
function bars(): ImageSet {
  const count = 40;
  const images = new Float32Array(count * 784);
  for (let k = 0; k < count; k++) {
    for (let y = 6; y < 22; y++) images[k * 784 + y * 28 + 8 + (k % 12)] = 1;
  }
  return { images, labels: Uint8Array.from({ length: count }, (_, k) => k % 10), count, rows: 28, cols: 28 };
}

const set = bars();
const order = Uint32Array.from({ length: 40 }, (_, k) => (k * 17) % 40);

function values(batch: ReturnType<typeof makeBatch>) {
  const out = { xs: batch.xs.dataSync().slice(), ys: batch.ys.dataSync().slice() };
  batch.xs.dispose();
  batch.ys.dispose();
  return out;
}

beforeAll(async () => {
  await setBackend('cpu');
});

describe('makeTrainingBatch', () => {
  it("is makeBatch's batch, bit for bit, without augmentation", () => {
    const indices = order.subarray(8, 24);
    const place = { seed: 3, epoch: 1, position: 8 };
    expect(values(makeTrainingBatch(set, indices, null, place))).toEqual(values(makeBatch(set, indices)));
  });

  it('augments each image from its place in the epoch: the same however the batch is cut into slices', () => {
    const before = memory().numTensors;
    const place = { seed: 3, epoch: 1, position: 16 };
    const batch = order.subarray(16, 32);
    const whole = values(makeTrainingBatch(set, batch, AUGMENT, place));
    // Cut as two or three threads cut it: each slice seeded from its own first position.
    for (const cuts of [
      [0, 8, 16],
      [0, 5, 11, 16],
    ]) {
      const xs = new Float32Array(whole.xs.length);
      for (let i = 0; i + 1 < cuts.length; i++) {
        const [start, end] = [cuts[i]!, cuts[i + 1]!];
        const part = values(
          makeTrainingBatch(set, batch.subarray(start, end), AUGMENT, { ...place, position: 16 + start }),
        );
        xs.set(part.xs, start * 784);
      }
      expect(xs).toEqual(whole.xs);
    }
    // Labels are never touched; the images are.
    expect(whole.ys).toEqual(values(makeBatch(set, batch)).ys);
    expect(whole.xs).not.toEqual(values(makeBatch(set, batch)).xs);
    expect(memory().numTensors).toBe(before);
  });

  it('draws other transforms in another epoch, at another place and for another seed', () => {
    const batch = order.subarray(0, 8);
    const base = values(makeTrainingBatch(set, batch, AUGMENT, { seed: 3, epoch: 0, position: 0 })).xs;
    expect(values(makeTrainingBatch(set, batch, AUGMENT, { seed: 3, epoch: 0, position: 0 })).xs).toEqual(
      base,
    );
    for (const place of [
      { seed: 3, epoch: 1, position: 0 },
      { seed: 3, epoch: 0, position: 8 },
      { seed: 4, epoch: 0, position: 0 },
    ]) {
      expect(values(makeTrainingBatch(set, batch, AUGMENT, place)).xs, JSON.stringify(place)).not.toEqual(
        base,
      );
    }
  });
});

describe('createTrainingBatchMaker', () => {
  // A copy whose pixels a test can change after `prepare`: the batch `make` returns then tells
  // whether its images were made ahead (the old pixels) or at `make` (the new ones).
  const fresh = (): ImageSet => ({ ...set, images: set.images.slice() });
  const darken = (images: ImageSet) => images.images.fill(0.5);
  const slice = order.subarray(8, 24);
  const place = { seed: 3, epoch: 1, position: 8 };

  it("makes makeTrainingBatch's batch, from the images made ahead when they are the slice's", () => {
    const train = fresh();
    const before = memory().numTensors;
    const maker = createTrainingBatchMaker(train, AUGMENT);
    const expected = values(makeTrainingBatch(train, slice, AUGMENT, place));
    expect(values(maker.make(slice, place))).toEqual(expected);
    // Made ahead from copies of what the caller passed, which it may reuse meanwhile.
    const indices = slice.slice();
    const at = { ...place };
    maker.prepare(indices, at);
    indices.fill(0);
    at.position = 0;
    darken(train);
    expect(values(makeTrainingBatch(train, slice, AUGMENT, place)).xs).not.toEqual(expected.xs);
    expect(values(maker.make(slice, place))).toEqual(expected);
    // Used once: the next batch of the same slice is made from the images as they are now.
    expect(values(maker.make(slice, place))).toEqual(values(makeTrainingBatch(train, slice, AUGMENT, place)));
    expect(memory().numTensors).toBe(before);
  });

  it('makes the batch anew when the images made ahead are of another slice, place, epoch or seed', () => {
    for (const [indices, other] of [
      [order.subarray(24, 40), place],
      [slice.slice().reverse(), place],
      [slice.subarray(0, 15), place],
      [slice, { ...place, position: 9 }],
      [slice, { ...place, epoch: 2 }],
      [slice, { ...place, seed: 4 }],
    ] as const) {
      const train = fresh();
      const maker = createTrainingBatchMaker(train, AUGMENT);
      maker.prepare(indices, other);
      darken(train);
      expect(values(maker.make(slice, place)), JSON.stringify(other)).toEqual(
        values(makeTrainingBatch(train, slice, AUGMENT, place)),
      );
    }
  });

  it('makes nothing ahead without augmentation, where a batch is a copy of the set', () => {
    const train = fresh();
    const maker = createTrainingBatchMaker(train, null);
    maker.prepare(slice, place);
    darken(train);
    expect(values(maker.make(slice, place))).toEqual(values(makeBatch(train, slice)));
  });
});
