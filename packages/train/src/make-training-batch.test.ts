import '@tensorflow/tfjs-backend-cpu';
import { type ImageSet, makeBatch } from '@mnist/data';
import { memory, setBackend } from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeTrainingBatch } from './make-training-batch.js';

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
