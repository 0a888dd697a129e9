export { MnistError } from './mnist-error.js';
export type { MnistErrorOptions } from './mnist-error.js';

/** Number of classes in MNIST: the digits 0-9. */
export const NUM_CLASSES = 10;
/** Side of an MNIST image in pixels. */
export const IMAGE_SIZE = 28;
/**
 * Images per `model.predict` call wherever the packages run a model over many images
 * (`predictDigits`, validation and test scoring): large enough that each call's fixed cost is
 * small (on wasm, 1,000 images in calls of 256 ran 1.2-1.4 times as fast as in tfjs-layers'
 * default of 32), small enough that the default model's first activations stay about 13 MB.
 */
export const INFERENCE_BATCH_SIZE = 256;
export { describeValue } from './describe-value.js';
