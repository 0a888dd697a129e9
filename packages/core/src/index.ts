export { MnistError } from './mnist-error.js';
export type { MnistErrorOptions } from './mnist-error.js';

/** Number of classes in MNIST: the digits 0-9. */
export const NUM_CLASSES = 10;
/** Side of an MNIST image in pixels. */
export const IMAGE_SIZE = 28;
export { describeValue } from './describe-value.js';
