import { IMAGE_SIZE, INFERENCE_BATCH_SIZE, NUM_CLASSES } from '@mnist/core';
import { cast, reshape, type Tensor, type Tensor4D, tidy } from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { DigitPrediction } from './model-types.js';
import { ImageShapeError } from './image-shape-error.js';

/**
 * Classifies images with `model` and returns, per image, the most likely digit and all ten class
 * probabilities. `images` holds pixels in [0, 1] (as the model was trained on) shaped
 * `[n, 28, 28, 1]`, `[n, 28, 28]` or `[28, 28]` for one image; the caller keeps ownership of it.
 * The model runs on `INFERENCE_BATCH_SIZE` (256) images at a time. No tensor outlives the call.
 *
 * @throws ImageShapeError if `images` has another shape.
 */
export async function predictDigits(model: LayersModel, images: Tensor): Promise<DigitPrediction[]> {
  const probabilities = runModel(model, images);
  try {
    return toPredictions(await probabilities.data(), probabilities.shape[0]!);
  } finally {
    probabilities.dispose();
  }
}

/**
 * `predictDigits` without awaiting: reads the probabilities synchronously, which blocks on GPU
 * backends (WebGL) but is simplest on the CPU and WASM backends.
 */
export function predictDigitsSync(model: LayersModel, images: Tensor): DigitPrediction[] {
  const probabilities = runModel(model, images);
  try {
    return toPredictions(probabilities.dataSync(), probabilities.shape[0]!);
  } finally {
    probabilities.dispose();
  }
}

function runModel(model: LayersModel, images: Tensor): Tensor {
  const shape = images.shape;
  const isImage = (dims: number[]) => dims.length === 2 && dims[0] === IMAGE_SIZE && dims[1] === IMAGE_SIZE;
  let batchShape: [number, number, number, number];
  if (shape.length === 2 && isImage(shape)) {
    batchShape = [1, IMAGE_SIZE, IMAGE_SIZE, 1];
  } else if (shape.length === 3 && isImage(shape.slice(1))) {
    batchShape = [shape[0]!, IMAGE_SIZE, IMAGE_SIZE, 1];
  } else if (shape.length === 4 && isImage(shape.slice(1, 3)) && shape[3] === 1) {
    batchShape = [shape[0]!, IMAGE_SIZE, IMAGE_SIZE, 1];
  } else {
    throw new ImageShapeError(
      `predictDigits expects images shaped [n,28,28,1], [n,28,28] or [28,28]; got [${shape.join(',')}]`,
    );
  }
  return tidy(() => {
    const batch = reshape(cast(images, 'float32'), batchShape) as Tensor4D;
    // In calls of INFERENCE_BATCH_SIZE images, not tfjs-layers' default of 32.
    const output = model.predict(batch, { batchSize: INFERENCE_BATCH_SIZE });
    if (Array.isArray(output) || output.rank !== 2 || output.shape[1] !== NUM_CLASSES) {
      throw new ImageShapeError(
        `predictDigits needs a model with one output of ${NUM_CLASSES} probabilities per image; this model ` +
          `returns ${Array.isArray(output) ? `${output.length} outputs` : `shape [${output.shape.join(',')}]`}`,
      );
    }
    return output;
  });
}

function toPredictions(values: ArrayLike<number>, count: number): DigitPrediction[] {
  const predictions: DigitPrediction[] = [];
  for (let i = 0; i < count; i++) {
    const probabilities = Array.from({ length: NUM_CLASSES }, (_, k) => values[i * NUM_CLASSES + k]!);
    let digit = 0;
    for (let k = 1; k < NUM_CLASSES; k++) if (probabilities[k]! > probabilities[digit]!) digit = k;
    predictions.push({ digit, probabilities });
  }
  return predictions;
}
