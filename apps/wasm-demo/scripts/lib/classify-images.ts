import type { RawImageSet } from '@mnist/data';
import { predictDigits } from '@mnist/model';
import { tensor3d } from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';

/** The digit `model` predicts for each image of `set` (uint8 pixels), classified in batches of 500. */
export async function classifyImages(model: LayersModel, set: RawImageSet): Promise<Uint8Array> {
  const size = set.rows * set.cols;
  const digits = new Uint8Array(set.count);
  const batch = 500;
  for (let start = 0; start < set.count; start += batch) {
    const count = Math.min(batch, set.count - start);
    const pixels = new Float32Array(count * size);
    for (let i = 0; i < pixels.length; i++) pixels[i] = set.images[start * size + i]! / 255;
    const input = tensor3d(pixels, [count, set.rows, set.cols]);
    const predictions = await predictDigits(model, input);
    input.dispose();
    predictions.forEach((prediction, i) => {
      digits[start + i] = prediction.digit;
    });
  }
  return digits;
}
